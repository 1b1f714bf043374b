// One GUID grammar for every place the emulator reads a GUID (a key in a URL, an id in a body, an OAuth tenant, a
// $filter literal): the pattern is written once, in server/guid.ts.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { GUID_PATTERN, isGuid } from '../../server/guid.js';

const SERVER = path.resolve(new URL('../../server', import.meta.url).pathname);

function sources(dir = SERVER): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sources(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

describe('isGuid', () => {
  it.each(['0b6ee5b0-7b6f-4d84-8f2a-a5bd45d1c0c5', '0B6EE5B0-7B6F-4D84-8F2A-A5BD45D1C0C5', '00000000-0000-0000-0000-000000000000'])('takes %s', (text) => {
    expect(isGuid(text)).toBe(true);
  });

  it.each([
    '{0b6ee5b0-7b6f-4d84-8f2a-a5bd45d1c0c5}',
    ' 0b6ee5b0-7b6f-4d84-8f2a-a5bd45d1c0c5',
    '0b6ee5b0-7b6f-4d84-8f2a-a5bd45d1c0c',
    '0b6ee5b07b6f4d848f2aa5bd45d1c0c5',
    '0b6ee5b0-7b6f-4d84-8f2a-a5bd45d1c0c5\n',
    'g0000000-0000-0000-0000-000000000000',
  ])('refuses %j', (text) => {
    expect(isGuid(text)).toBe(false);
  });
});

describe('the GUID pattern', () => {
  it('is written in server/guid.ts only', () => {
    const copies = sources()
      .filter((file) => /\{8\}-\[0-9a-fA-F\]|\{8\}-\[0-9a-f\]/.test(readFileSync(file, 'utf8')))
      .map((file) => path.relative(SERVER, file));
    expect(copies).toEqual(['guid.ts']);
  });

  it('is the 8-4-4-4-12 hex digits of Edm.Guid', () => {
    expect(new RegExp(`^${GUID_PATTERN}$`, 'i').test('0b6ee5b0-7b6f-4d84-8f2a-a5bd45d1c0c5')).toBe(true);
  });
});
