// The command line on a data file another program changes while it runs: the version found at the next snapshot is
// kept beside it, and the log says where, in a warning naming both files.
import { describe, expect, it } from '@jest/globals';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { LISTENING, spawnEmulator, tempDir } from '../support/childProcess.js';
import { stdoutRecords } from '../support/emulatorProcess.js';

describe('a data file edited while the emulator runs', () => {
  it('is kept as db.json.changed-<time> at the snapshot, with a warning in the log; the data file holds every acknowledged write', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'db.json');
    const first = spawnEmulator([], { FIXTURES: 'empty', DATA_FILE: file, LOG_FORMAT: 'json' });
    await first.waitFor(LISTENING);
    first.child.kill('SIGTERM');
    expect((await first.exited).code).toBe(0);

    const proc = spawnEmulator([], { FIXTURES: 'empty', DATA_FILE: file, LOG_FORMAT: 'json', LOG_LEVEL: 'warn' });
    const [, url] = await proc.waitFor(LISTENING);
    const edited = readFileSync(file, 'utf8').replace('"displayName":"General"', '"displayName":"Renamed by hand"');
    writeFileSync(file, edited);
    const created = await fetch(`${url}/beta/identityGovernance/entitlementManagement/accessPackages`, {
      method: 'POST',
      headers: { Authorization: 'Bearer t', 'Content-Type': 'application/json' },
      body: JSON.stringify({ displayName: 'Made while it was edited' }),
    });
    expect(created.status).toBe(201);
    proc.child.kill('SIGTERM');
    expect((await proc.exited).code).toBe(0);

    const aside = readdirSync(dir).filter((name) => name.startsWith('db.json.changed-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(path.join(dir, aside[0]!), 'utf8')).toBe(edited);
    expect(readFileSync(file, 'utf8')).toContain('"displayName":"Made while it was edited"');
    const warning = stdoutRecords(proc.stdout()).find((record) => record['level'] === 'warn');
    expect(warning).toMatchObject({
      dataFile: file,
      keptAs: path.join(dir, aside[0]!),
      msg: `The data file ${file} was changed by another program while the emulator ran: that version is kept as ${path.join(dir, aside[0]!)}, and the emulator's data was written in its place. Stop the emulator before editing the file, or load records with POST /_emulator/reset.`,
    });
    expect(proc.stderr()).toBe('');
  }, 60_000);
});
