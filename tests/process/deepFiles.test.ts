// A file the command line reads that nests deeper than any record, rule or setting (200,000 levels): one line on
// stderr naming the file and the limit, never a stack trace.
import { describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawnEmulator, tempDir } from '../support/childProcess.js';

const DEEP = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
const GUID = '0f0c0d0e-0000-4000-8000-000000000001';

describe('a file nested 200,000 levels deep', () => {
  it.each([
    ['FIXTURES', 'fixtures file', `[{"id":"${GUID}","displayName":"x","description":${DEEP}}]`, 1],
    ['DATA_FILE', 'data file', `{"accessPackages":[{"id":"${GUID}","displayName":"x","description":${DEEP}}]}`, 1],
    ['FAULTS_FILE', 'faults file', `{"rules":[{"status":503,"headers":${DEEP}}]}`, 2],
  ])(
    'as %s is refused with one line naming it',
    async (setting, label, text, code) => {
      const dir = tempDir();
      const file = path.join(dir, 'deep.json');
      writeFileSync(file, text);
      const proc = spawnEmulator([], { FIXTURES: 'empty', DATA_FILE: path.join(dir, 'db.json'), [setting]: file });
      expect((await proc.exited).code).toBe(code);
      const said = `The ${label} ${file} nests arrays and objects more than 100 levels deep, as no record, rule or setting does`;
      expect(proc.stderr()).toBe(
        setting === 'DATA_FILE'
          ? `error: The data file ${file} is not valid JSON (it ${said.slice(`The ${label} ${file} `.length)}). It was left untouched.\n`
          : `error: ${said}.\n`,
      );
    },
    60_000,
  );
});
