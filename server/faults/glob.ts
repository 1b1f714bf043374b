// The path globs of fault rules, matched in time proportional to (path length × pattern length) whatever the
// pattern: a glob compiled to a regular expression backtracks, and `/*a*a*a*a*a*a*z` against an 80-character
// path took 5 s in picomatch (extglobs such as `@(a*|b)*(*)` froze it for 15 s on 22 characters).
// The syntax is picomatch's common part, case-insensitive as Graph's paths are:
//   *  any characters within a segment      ?  one character      [a-z] [!a-z]  one character of a class
//   ** as a whole segment: any number of segments, none included   {a,b}  either (no nesting)   \x  x itself
// Extglobs (`@(…)`, `*(…)`, `!(…)` …) are refused with a hint rather than read some other way.

/** Longest pattern accepted (the schema's maxLength says the same to editors). */
export const MAX_GLOB_LENGTH = 256;
/** Patterns a pattern's braces may expand to. */
const MAX_ALTERNATIVES = 64;

type CharTest = (c: string) => boolean;
/** null is a star: any run of characters (within a segment) or of segments (`**`). */
type Token<T> = T | null;

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
function segmentTokens(segment: string): Token<CharTest>[] {
  const tokens: Token<CharTest>[] = [];
  for (let i = 0; i < segment.length; i += 1) {
    const c = segment[i]!;
    if (c === '*') {
      if (tokens.at(-1) !== null) tokens.push(null);
    } else if (c === '?') {
      tokens.push(() => true);
    } else if (c === '[' && segment.indexOf(']', i + 2) !== -1) {
      const end = segment.indexOf(']', i + 2);
      tokens.push(classTest(segment.slice(i + 1, end)));
      i = end;
    } else {
      const literal = c === '\\' && i + 1 < segment.length ? segment[++i]! : c;
      tokens.push((x) => x === literal);
    }
  }
  return tokens;
}

/** The patterns `{a,b}` stands for; throws on nesting or too many. */
function expandBraces(pattern: string): string[] {
  const open = pattern.search(/(?<!\\)\{/);
  if (open === -1) return [pattern];
  const close = pattern.indexOf('}', open);
  const inner = pattern.slice(open + 1, close);
  if (close === -1 || inner.includes('{')) throw new Error('has a brace that is not closed, or braces inside braces');
  const expanded = inner.split(',').flatMap((alternative) => expandBraces(`${pattern.slice(0, open)}${alternative}${pattern.slice(close + 1)}`));
  if (expanded.length > MAX_ALTERNATIVES) throw new Error(`expands to more than ${MAX_ALTERNATIVES} patterns`);
  return expanded;
}

function compileOne(pattern: string): (segments: readonly string[]) => boolean {
  const tokens: Token<Token<CharTest>[]>[] = pattern.split('/').map((segment) => (segment === '**' ? null : segmentTokens(segment)));
  return (segments) => walk(segments, tokens, (segmentTokensOf, segment) => walk(segment, segmentTokensOf, (test, c) => test(c)));
}

/** Why a pattern cannot be used; undefined when it can. */
export function globProblem(pattern: string): string | undefined {
  if (pattern.length > MAX_GLOB_LENGTH) return `is longer than ${MAX_GLOB_LENGTH} characters`;
  if (/[@!+*?]\(/.test(pattern)) return 'uses an extglob such as @(a|b); write {a,b} or several rules instead';
  let alternatives: string[];
  try {
    alternatives = expandBraces(pattern);
  } catch (err) {
    return (err as Error).message;
  }
  // Each pattern the braces give, as it is matched: `{a[,b]}` gives `a[`.
  if (alternatives.some((alternative) => alternative.split('/').some(unclosedClass)))
    return 'has a [ that is not closed in its segment; write \\[ for the character';
  return undefined;
}

/** Whether a segment has a `[` that opens no class (segmentTokens would read it as the character). */
function unclosedClass(segment: string): boolean {
  for (let i = 0; i < segment.length; i += 1) {
    if (segment[i] === '\\') i += 1;
    else if (segment[i] === '[') {
      const end = segment.indexOf(']', i + 2);
      if (end === -1) return true;
      i = end;
    }
  }
  return false;
}

/** A case-insensitive matcher for a pattern globProblem accepts. */
export function compileGlob(pattern: string): (path: string) => boolean {
  const alternatives = expandBraces(pattern.toLowerCase()).map(compileOne);
  return (path) => {
    const segments = path.toLowerCase().split('/');
    return alternatives.some((matches) => matches(segments));
  };
}
