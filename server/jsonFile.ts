// Reading a JSON file a user named (config file, faults file, fixtures file): one wording for the two ways it
// fails, raised as the caller's own error type so that each keeps its exit code.
import { firstRepeatedName } from './http/duplicateNames.js';
import { MAX_BODY_DEPTH, jsonLimitPassed } from './http/jsonDepth.js';
import { jsonSyntaxProblem } from './jsonSyntax.js';
import { NotUtf8Error, readRegularFileSync } from './regularFile.js';
import { IN_ANOTHER_ENCODING } from './utf8Bytes.js';

/** The first name a JSON text writes twice in one object, for the store's data files too (store/ reads no http/). */
export { firstRepeatedName };
/** How deep a file a user names may nest, as a request body may: for the store's data files too. */
export { MAX_BODY_DEPTH, jsonLimitPassed };

/** Why a file that nests deeper than MAX_BODY_DEPTH is refused. */
export const TOO_DEEP = `nests arrays and objects more than ${MAX_BODY_DEPTH} levels deep, as no record, rule or setting does`;

/** Why a file could not be read, in the words every such file's refusal uses. */
export function unreadableFileMessage(label: string, file: string, err: unknown): string {
  return `Cannot read the ${label} ${file}: ${(err as Error).message}`;
}

/**
 * JSON text without the UTF-8 byte order mark an editor may put first (Notepad, PowerShell's UTF8 encoding), which
 * JSON.parse refuses with an invisible character in its message: parsers may ignore it (RFC 8259 §8.1,
 * https://www.rfc-editor.org/rfc/rfc8259#section-8.1), as the request bodies' reader does.
 */
export function withoutByteOrderMark(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * `fail` is told whether the file could not be read or is not JSON: a fixtures file's two have two exit codes.
 * With `uniqueNames`, a name written twice in one object is refused (a 'parse' failure): JSON.parse would keep the
 * last one and drop the other without a word.
 */
export function readJsonFile(
  file: string,
  label: string,
  fail: (message: string, stage: 'read' | 'parse') => Error,
  readText: (file: string) => string = readRegularFileSync,
  uniqueNames = false,
): unknown {
  let text: string;
  try {
    text = readText(file);
  } catch (err) {
    // The files are UTF-8 (RFC 8259 §8.1): one saved otherwise is said so, where it stops being UTF-8, rather than
    // read with U+FFFD in place of its accented letters, or refused by JSON.parse naming an invisible '�'.
    if (err instanceof NotUtf8Error) {
      const how = err.utf16
        ? `it starts with a UTF-16 byte order mark (PowerShell 5's Out-File and Notepad's "Unicode" save it so). Save it as UTF-8 (PowerShell: Out-File -Encoding utf8).`
        : `${err.reason} (${IN_ANOTHER_ENCODING}). Save it as UTF-8.`;
      throw fail(`The ${label} ${file} is not UTF-8: ${how}`, 'parse');
    }
    throw fail(unreadableFileMessage(label, file, err), 'read');
  }
  text = withoutByteOrderMark(text);
  // As deep as a request body may nest, checked before JSON.parse as there: a fixtures file's value 200,000 levels
  // deep stopped the start with a stack trace, where its refusal quoted it.
  if (jsonLimitPassed(text, MAX_BODY_DEPTH) === 'depth') throw fail(`The ${label} ${file} ${TOO_DEEP}.`, 'parse');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw fail(`The ${label} ${file} is not valid JSON: ${jsonSyntaxProblem(text)}.`, 'parse');
  }
  const repeated = uniqueNames ? firstRepeatedName(text) : undefined;
  if (repeated !== undefined)
    throw fail(`The ${label} ${file} writes the name '${repeated}' twice in one object; only the last would count: write it once.`, 'parse');
  return json;
}
