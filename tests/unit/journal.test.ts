import { describe, expect, it } from '@jest/globals';
import { parseJournal } from '../../server/store/journal.js';
import { StoreError } from '../../server/store/types.js';

const put = (id: string) => JSON.stringify({ op: 'put', c: 'accessPackages', r: { id } });

describe('parseJournal', () => {
  it.each([
    ['an empty journal', '', 0, 0],
    ['complete lines', `${put('a')}\n${put('b')}\n`, 2, -1],
    ['a torn last line with no newline', `${put('a')}\n{"op":"put","c":"acc`, 1, put('a').length + 1],
    ['a last line that is complete JSON but lacks its newline', `${put('a')}\n${put('b')}`, 1, put('a').length + 1],
  ])('%s', (_name, text, count, validBytes) => {
    const parsed = parseJournal(text, 'j');
    expect(parsed.entries).toHaveLength(count);
    expect(parsed.validBytes).toBe(validBytes === -1 ? Buffer.byteLength(text) : validBytes);
  });

  it('refuses a damaged line in the middle, naming the file and line', () => {
    const text = `${put('a')}\nnot json\n${put('b')}\n`;
    expect(() => parseJournal(text, '/data/db.json.journal')).toThrow(
      new StoreError('corrupt', 'The journal /data/db.json.journal is damaged at line 2. It was left untouched.'),
    );
  });
});
