// The run's scratch folder: every test writes under it, and it is removed when jest exits (tests/support/globalSetup.ts).
import { describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SCRATCH_PREFIX, SCRATCH_VARIABLE, createScratchFolder, removeScratchFolder, scratchFolderOnce } from '../support/globalSetup.js';

describe('the test run scratch folder', () => {
  it('is where this test process, and any process it starts, makes its temporary files', () => {
    const folder = process.env[SCRATCH_VARIABLE];
    expect(path.basename(folder ?? '')).toMatch(new RegExp(`^${SCRATCH_PREFIX}`));
    expect(tmpdir()).toBe(folder);
    expect(path.dirname(mkdtempSync(path.join(tmpdir(), 'probe-')))).toBe(folder);
  });

  it('is made by the setup and removed with what was written in it; KEEP_TEST_FILES=1 keeps it', () => {
    for (const keep of [undefined, '1']) {
      const env: NodeJS.ProcessEnv = keep === undefined ? {} : { KEEP_TEST_FILES: keep };
      const folder = createScratchFolder(env);
      expect(env).toMatchObject({ [SCRATCH_VARIABLE]: folder, TMPDIR: folder });
      mkdirSync(path.join(folder, 'emulator-test-x'));
      writeFileSync(path.join(folder, 'emulator-test-x', 'db.json'), '{}');
      expect(removeScratchFolder(env)).toBe(keep === undefined ? undefined : folder);
      expect(existsSync(folder)).toBe(keep !== undefined);
      if (keep !== undefined) removeScratchFolder({ [SCRATCH_VARIABLE]: folder });
      expect(existsSync(folder)).toBe(false);
    }
  });

  it('is made once per process: a second run in the same process (watch mode) keeps the first folder', () => {
    const env: NodeJS.ProcessEnv = {};
    const folder = scratchFolderOnce(env);
    expect(folder).toBe(env[SCRATCH_VARIABLE]);
    expect(scratchFolderOnce(env)).toBeUndefined();
    expect(env).toMatchObject({ [SCRATCH_VARIABLE]: folder, TMPDIR: folder });
    removeScratchFolder(env);
    expect(existsSync(folder!)).toBe(false);
  });
});
