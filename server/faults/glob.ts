// The path globs of fault rules (and of the request journal's filter), matched in time proportional to (path length
// × pattern length) whatever the pattern, within a segment close to the path's length: a glob compiled to a regular
// expression backtracks, and `/*a*a*a*a*a*a*z` against an 80-character
// path took 5 s in picomatch (extglobs such as `@(a*|b)*(*)` froze it for 15 s on 22 characters).
// The syntax is picomatch's common part, case-insensitive as Graph's paths are:
//   *  any characters within a segment      ?  one character      [a-z] [!a-z]  one character of a class
//   ** as a whole segment: any number of segments, none included   {a,b}  either (no nesting)   \x  x itself
// Extglobs (`@(…)`, `*(…)`, `!(…)` …) are refused with a hint rather than read some other way, and so are braces
// without a comma (characters to picomatch) and a `\` inside braces or a class (an escape to picomatch).

/** Longest pattern accepted (the schema's maxLength says the same to editors). */
export const MAX_GLOB_LENGTH = 256;
/** Patterns a pattern's braces may expand to. */
const MAX_ALTERNATIVES = 64;

type CharTest = (c: string) => boolean;
/** null is a star: any run of characters (within a segment) or of segments (`**`). */
type Token<T> = T | null;
/** One character of a segment's pattern: a literal one (found by indexOf), or a test (`?`, a class). */
type CharToken = { literal: string; test?: undefined } | { literal?: undefined; test: CharTest };

/** The classic wildcard walk: on a mismatch, go back to the last star and let it take one more element. */
function walk<E, T>(elements: ArrayLike<E>, tokens: readonly Token<T>[], accepts: (token: T, element: E) => boolean): boolean {
  let i = 0;
  let j = 0;
  let star = -1;
  let resume = 0;
  while (i < elements.length) {
    const token = tokens[j];
    if (j < tokens.length && token !== null && accepts(token!, elements[i]!)) {
      i += 1;
      j += 1;
    } else if (j < tokens.length && token === null) {
      star = j;
      j += 1;
      resume = i;
    } else if (star >= 0) {
      j = star + 1;
      resume += 1;
      i = resume;
    } else {
      return false;
    }
  }
  while (j < tokens.length && tokens[j] === null) j += 1;
  return j === tokens.length;
}

function classTest(body: string): CharTest {
  const negated = body[0] === '!' || body[0] === '^';
  const chars = negated ? body.slice(1) : body;
  const ranges: [string, string][] = [];
  for (let i = 0; i < chars.length; i += 1) {
    if (chars[i + 1] === '-' && i + 2 < chars.length) {
      ranges.push([chars[i]!, chars[i + 2]!]);
      i += 2;
    } else {
      ranges.push([chars[i]!, chars[i]!]);
    }
  }
  return (c) => ranges.some(([low, high]) => c >= low && c <= high) !== negated;
}

/** One segment's tokens: characters, `?`, classes and stars. */
function segmentTokens(segment: string): Token<CharToken>[] {
  const tokens: Token<CharToken>[] = [];
  for (let i = 0; i < segment.length; i += 1) {
    const c = segment[i]!;
    if (c === '*') {
      if (tokens.at(-1) !== null) tokens.push(null);
    } else if (c === '?') {
      tokens.push({ test: () => true });
    } else if (c === '[' && segment.indexOf(']', i + 2) !== -1) {
      const end = segment.indexOf(']', i + 2);
      tokens.push({ test: classTest(segment.slice(i + 1, end)) });
      i = end;
    } else {
      tokens.push({ literal: c === '\\' && i + 1 < segment.length ? segment[++i]! : c });
    }
  }
  return tokens;
}

/** A run of a segment's pattern between stars; `text` when every character of it is a literal one. */
interface Chunk {
  tokens: readonly CharToken[];
  text: string | undefined;
}

function chunkAt(segment: string, at: number, chunk: Chunk): boolean {
  if (chunk.text !== undefined) return segment.startsWith(chunk.text, at);
  for (let k = 0; k < chunk.tokens.length; k += 1) {
    const token = chunk.tokens[k]!;
    const c = segment[at + k]!;
    if (token.literal !== undefined ? token.literal !== c : !token.test(c)) return false;
  }
  return true;
}

/** Where a chunk first matches from `from`, ending by `limit`; -1 when nowhere. A literal run is found by indexOf. */
function findChunk(segment: string, chunk: Chunk, from: number, limit: number): number {
  const last = limit - chunk.tokens.length;
  if (chunk.text !== undefined) {
    const at = segment.indexOf(chunk.text, from);
    return at !== -1 && at <= last ? at : -1;
  }
  for (let at = from; at <= last; at += 1) if (chunkAt(segment, at, chunk)) return at;
  return -1;
}

/**
 * A segment against its pattern: the runs between stars matched leftmost in turn, the first at the start and the
 * last at the end unless a star stands there. Leftmost is always right for stars (any later match leaves less
 * room), so nothing is tried twice: a literal run costs one indexOf, and a 16 KB segment against a 256-character
 * pattern a few milliseconds, where a walk that goes back to its last star tried every start (1.5 s).
 */
function segmentMatcher(tokens: readonly Token<CharToken>[]): (segment: string) => boolean {
  const chunks: Chunk[] = [];
  let current: CharToken[] = [];
  const close = () => {
    chunks.push({ tokens: current, text: current.every((t) => t.literal !== undefined) ? current.map((t) => t.literal).join('') : undefined });
    current = [];
  };
  for (const token of tokens) {
    if (token === null) close();
    else current.push(token);
  }
  close();
  // chunks[0] before the first star, chunks.at(-1) after the last; with no star, the one chunk is the whole segment.
  const [head, ...rest] = chunks as [Chunk, ...Chunk[]];
  if (rest.length === 0) return (segment) => segment.length === head.tokens.length && chunkAt(segment, 0, head);
  const tail = rest.pop()!;
  return (segment) => {
    const end = segment.length - tail.tokens.length;
    if (end < head.tokens.length || !chunkAt(segment, 0, head) || !chunkAt(segment, end, tail)) return false;
    let at = head.tokens.length;
    for (const chunk of rest) {
      const found = findChunk(segment, chunk, at, end);
      if (found === -1) return false;
      at = found + chunk.tokens.length;
    }
    return true;
  };
}

/** Picomatch reads a `\\` in braces or a class as an escape (`{a\\,b}`, `[\\]]`), where this syntax reads the character. */
const ESCAPE_INSIDE = 'has a \\ inside braces or a class, which escapes nothing there; write the character itself (a ] first in its class)';

/**
 * The patterns `{a,b}` stands for; throws on nesting, on too many, and on braces picomatch reads otherwise: with no
 * comma (`{a}`, `{1..3}`: the characters to it) or holding a `\\` (an escape to it).
 */
function expandBraces(pattern: string): string[] {
  const open = pattern.search(/(?<!\\)\{/);
  if (open === -1) return [pattern];
  const close = pattern.indexOf('}', open);
  const inner = pattern.slice(open + 1, close);
  if (close === -1 || inner.includes('{')) throw new Error('has a brace that is not closed, or braces inside braces');
  if (!inner.includes(',')) throw new Error('has braces without a comma, which are no alternatives; write {a,b}, or \\{ for the character');
  if (inner.includes('\\')) throw new Error(ESCAPE_INSIDE);
  const expanded = inner.split(',').flatMap((alternative) => expandBraces(`${pattern.slice(0, open)}${alternative}${pattern.slice(close + 1)}`));
  if (expanded.length > MAX_ALTERNATIVES) throw new Error(`expands to more than ${MAX_ALTERNATIVES} patterns`);
  return expanded;
}

function compileOne(pattern: string): (segments: readonly string[]) => boolean {
  const tokens: Token<(segment: string) => boolean>[] = pattern.split('/').map((segment) => (segment === '**' ? null : segmentMatcher(segmentTokens(segment))));
  return (segments) => walk(segments, tokens, (matches, segment) => matches(segment));
}

/** Why a pattern cannot be used; undefined when it can. */
export function globProblem(pattern: string): string | undefined {
  // Characters as the faults schema's maxLength counts them (code points: an emoji is one), so that a rule the schema
  // takes is not refused here; at most twice as many UTF-16 units, which the matching time's bounds allow.
  if (pattern.length > MAX_GLOB_LENGTH && [...pattern].length > MAX_GLOB_LENGTH) return `is longer than ${MAX_GLOB_LENGTH} characters`;
  if (/[@!+*?]\(/.test(pattern)) return 'uses an extglob such as @(a|b); write {a,b} or several rules instead';
  let alternatives: string[];
  try {
    alternatives = expandBraces(pattern);
  } catch (err) {
    return (err as Error).message;
  }
  // Each pattern the braces give, as it is matched: `{a[,b]}` gives `a[`.
  const classes = alternatives.flatMap((alternative) => alternative.split('/').map(classBodies));
  if (classes.includes(undefined)) return 'has a [ that is not closed in its segment; write \\[ for the character';
  const bodies = classes.flat() as string[];
  if (bodies.some((body) => body.includes('\\'))) return ESCAPE_INSIDE;
  // As the pattern is matched: lower-cased (`[Z-a]` runs backwards then, `[a-Z]` does not).
  const range = bodies.map((body) => backwardRange(body.toLowerCase())).find((found) => found !== undefined);
  // A regular expression refuses such a range too (`/[z-a]/` is a SyntaxError): in a class alone it matched nothing.
  if (range !== undefined) return `has a range ${range[0]}-${range[1]} that runs backwards, which holds no character; write it ${range[1]}-${range[0]}`;
  return undefined;
}

/**
 * The bodies of a segment's classes, as segmentTokens reads them (`[!a-z]` gives `!a-z`); undefined when a `[` opens
 * none (segmentTokens would read it as the character).
 */
function classBodies(segment: string): string[] | undefined {
  const bodies: string[] = [];
  for (let i = 0; i < segment.length; i += 1) {
    if (segment[i] === '\\') i += 1;
    else if (segment[i] === '[') {
      const end = segment.indexOf(']', i + 2);
      if (end === -1) return undefined;
      bodies.push(segment.slice(i + 1, end));
      i = end;
    }
  }
  return bodies;
}

/** A range of a class's body whose start comes after its end (`z-a`), as classTest reads the class; undefined when none. */
function backwardRange(body: string): [string, string] | undefined {
  const chars = body[0] === '!' || body[0] === '^' ? body.slice(1) : body;
  for (let k = 0; k + 2 < chars.length; k += 1) {
    if (chars[k + 1] !== '-') continue;
    if (chars[k]! > chars[k + 2]!) return [chars[k]!, chars[k + 2]!];
    k += 2;
  }
  return undefined;
}

/** A case-insensitive matcher for a pattern globProblem accepts. */
export function compileGlob(pattern: string): (path: string) => boolean {
  const alternatives = expandBraces(pattern.toLowerCase()).map(compileOne);
  return (path) => {
    const segments = path.toLowerCase().split('/');
    return alternatives.some((matches) => matches(segments));
  };
}
