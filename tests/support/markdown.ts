// The documentation as tests read it: a page, one section of it by heading, its fenced blocks, its anchors.
// Tests that check an example or a table name the heading it lives under, so a moved or renamed section fails
// with the file and the heading rather than with an empty match.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './childProcess.js';

/** Every documentation page, relative to the repository root: the README, docs/*.md and the benchmark's. */
export function documentationPages(): string[] {
  const docs = readdirSync(path.join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`);
  return ['README.md', ...docs, 'bench/README.md'];
}

export function readPage(page: string): string {
  return readFileSync(path.join(ROOT, page), 'utf8');
}

interface Heading {
  level: number;
  text: string;
  /** Offset of the heading line in the page. */
  at: number;
}

/** Headings outside fenced blocks (a `# comment` inside a shell example is not one). */
function headings(markdown: string): Heading[] {
  const found: Heading[] = [];
  let inFence = false;
  let at = 0;
  for (const line of markdown.split('\n')) {
    if (/^```/.test(line)) inFence = !inFence;
    else if (!inFence) {
      const match = /^(#{1,6}) (.+?)\s*$/.exec(line);
      if (match) found.push({ level: match[1]!.length, text: match[2]!, at });
    }
    at += line.length + 1;
  }
  return found;
}

/**
 * The section under the heading whose text is `heading` (without the #s), up to the next heading of the same
 * or a higher level. Throws, naming the page and the heading, when the page has no such heading.
 */
export function section(page: string, heading: string): string {
  const markdown = readPage(page);
  const all = headings(markdown);
  const index = all.findIndex((h) => h.text === heading);
  if (index === -1) throw new Error(`${page} has no section '${heading}' (its headings: ${all.map((h) => h.text).join(' | ')})`);
  const start = all[index]!;
  const end = all.slice(index + 1).find((h) => h.level <= start.level);
  return markdown.slice(start.at, end?.at ?? markdown.length);
}

export interface Fence {
  /** The language of the info string (`sh`, `json`, …), empty when none. */
  lang: string;
  body: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The text between the previous fence (or the start) and this one. */
  before: string;
}

export function fences(markdown: string): Fence[] {
  const found: Fence[] = [];
  const lines = markdown.split('\n');
  let open: { lang: string; line: number; before: string; body: string[] } | undefined;
  let between: string[] = [];
  lines.forEach((line, i) => {
    if (open === undefined) {
      const start = /^```(\S*)/.exec(line);
      if (start) {
        open = { lang: start[1]!, line: i + 1, before: between.join('\n'), body: [] };
        between = [];
      } else between.push(line);
    } else if (/^```\s*$/.test(line)) {
      found.push({ lang: open.lang, body: open.body.join('\n'), line: open.line, before: open.before });
      open = undefined;
    } else open.body.push(line);
  });
  return found;
}

/** The anchors GitHub gives a page's headings: lowercase, punctuation dropped, spaces as hyphens, repeats numbered. */
export function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const { text } of headings(markdown)) {
    const slug = text
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    result.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return result;
}
