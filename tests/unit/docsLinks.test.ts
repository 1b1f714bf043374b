// The documentation holds together: the README's table of contents links every page, and every relative link
// of every page points at a file that exists and, with a #fragment, at a heading that page has.
import { describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../support/childProcess.js';
import { anchors, documentationPages, fences, readPage, section } from '../support/markdown.js';

/** Relative links outside fenced blocks: `[text](target)`. */
function links(markdown: string): string[] {
  let prose = markdown;
  for (const fence of fences(markdown)) prose = prose.replace(fence.body, '');
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((target) => !/^[a-z]+:/.test(target));
}

describe('the documentation', () => {
  const pages = documentationPages();

  it('is listed in the README table of contents, every page of it', () => {
    const contents = links(section('README.md', 'Documentation'));
    expect(pages.filter((page) => page !== 'README.md' && !contents.includes(page))).toEqual([]);
  });

  it.each(pages)('%s links only to files and headings that exist', (page) => {
    const broken = links(readPage(page)).filter((link) => {
      const [file, fragment] = link.split('#') as [string, string | undefined];
      const target = file === '' ? page : path.posix.normalize(path.posix.join(path.posix.dirname(page), file));
      if (!existsSync(path.join(ROOT, target))) return true;
      return fragment !== undefined && target.endsWith('.md') && !anchors(readPage(target)).has(fragment);
    });
    expect(broken).toEqual([]);
  });
});
