// A request body that names one property (or annotation) twice in one object. JSON.parse keeps the last, so
// `{"displayName":"a","displayName":"b"}` would be stored as "b", and a refused `@odata.type` hidden behind an
// accepted one. Graph's OData reader refuses both, in these words (Microsoft.OData.Core's resources
// DuplicatePropertyNamesNotAllowed and DuplicateAnnotationNotAllowed; its reader validates duplicate names by
// default, ValidationKinds.ThrowOnDuplicatePropertyNames).
// What it costs a body without one: the member names counted on the text where jsonDepth.ts already scans it,
// and their count in the parsed value; only a body whose counts differ is read again to name the first repeat.
import { GraphError } from '../graphErrors.js';
import { closingQuote } from './jsonDepth.js';

/** Own keys of every object in a parsed JSON value. */
export function keyCount(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  let count = 0;
  if (Array.isArray(value)) {
    for (const item of value) count += keyCount(item);
    return count;
  }
  for (const key in value) count += 1 + keyCount((value as Record<string, unknown>)[key]);
  return count;
}

/** What a walk over a JSON text's containers and member names reports (scanMembers). */
interface MemberVisitor {
  /** An object (true) or an array (false) opens. */
  open(object: boolean): void;
  close(): void;
  /** A member name of the innermost open object, as the reader reads it; true stops the walk. */
  name(name: string): boolean;
}

/** Walks a JSON text (already checked to be JSON) as its reader reads it: containers and member names, not values. */
export function scanMembers(text: string, visitor: MemberVisitor): void {
  // Per open container: whether it is an object; whether the next string is a name.
  const objects: boolean[] = [];
  let nameNext = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 0x7b || c === 0x5b) {
      objects.push(c === 0x7b);
      visitor.open(c === 0x7b);
      nameNext = c === 0x7b;
    } else if (c === 0x7d || c === 0x5d) {
      objects.pop();
      visitor.close();
    } else if (c === 0x2c) {
      nameNext = objects.at(-1) === true;
    } else if (c === 0x3a) {
      nameNext = false;
    } else if (c === 0x22) {
      const end = closingQuote(text, i + 1);
      if (nameNext && objects.at(-1) === true) {
        const written = text.slice(i + 1, end);
        // Only a name with an escape needs JSON's reading of it; any other is its characters as written.
        if (visitor.name(written.includes('\\') ? (JSON.parse(text.slice(i, end + 1)) as string) : written)) return;
      }
      i = end;
      nameNext = false;
    }
  }
}

/**
 * The first member name a JSON text repeats within one object, as its reader reads it; undefined when none.
 * `depth`: only objects this many levels in or fewer are checked (1: the outermost).
 */
export function firstRepeatedName(text: string, depth = Number.POSITIVE_INFINITY): string | undefined {
  // Per open container: the names seen (objects) or undefined (arrays).
  const open: (Set<string> | undefined)[] = [];
  let repeated: string | undefined;
  scanMembers(text, {
    open: (object) => open.push(object ? new Set() : undefined),
    close: () => open.pop(),
    name: (name) => {
      const names = open.at(-1)!;
      if (open.length > depth) return false;
      if (names.has(name)) repeated = name;
      names.add(name);
      return repeated !== undefined;
    },
  });
  return repeated;
}

/** Graph's 400 for a name repeated in one object: an annotation's (`@odata.type`) or a property's. */
export function repeatedNameError(name: string): GraphError {
  if (name.startsWith('@')) {
    return GraphError.of('badRequest', `Multiple annotations with the name '${name.slice(1)}' were detected. In OData, duplicate annotations are not allowed.`);
  }
  return GraphError.of(
    'badRequest',
    `Multiple properties with the name '${name}' were detected in a resource or a complex value. In OData, duplicate property names are not allowed.`,
  );
}
