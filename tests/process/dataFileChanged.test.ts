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
    // A data file written while no emulator ran, as a stop writes one.
    const catalog = { id: '267d013a-0b5a-4af4-8363-6469d1087dea', displayName: 'General' };
    writeFileSync(file, JSON.stringify({ dataFormat: 'graph-accesspackages-emulator/1', accessPackageCatalogs: [catalog] }));

    const proc = spawnEmulator([], { FIXTURES: 'empty', DATA_FILE: file, LOG_FORMAT: 'json', LOG_LEVEL: 'warn' });
    const [, url] = await proc.waitFor(LISTENING);
    const edited = readFileSync(file, 'utf8').replace('"displayName":"General"', '"displayName":"Renamed by hand"');
    expect(edited).toContain('Renamed by hand');
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

  it("keeps the baselines' index edited while it runs as baselines.json.changed-<time> at the next save, with its own warning", async () => {
    const dir = tempDir();
    const file = path.join(dir, 'db.json');
    const proc = spawnEmulator([], { FIXTURES: 'empty', DATA_FILE: file, LOG_FORMAT: 'json', LOG_LEVEL: 'warn' });
    const [, url] = await proc.waitFor(LISTENING);
    const save = (name: string) => fetch(`${url}/_emulator/snapshots/${name}`, { method: 'PUT' });
    expect((await save('first')).status).toBe(201);
    const index = path.join(`${file}.datasets`, 'baselines.json');
    const edited = `${readFileSync(index, 'utf8')}\n`;
    writeFileSync(index, edited);
    expect((await save('second')).status).toBe(201);
    proc.child.kill('SIGTERM');
    expect((await proc.exited).code).toBe(0);

    const aside = readdirSync(`${file}.datasets`).filter((name) => name.startsWith('baselines.json.changed-'));
    expect(aside).toHaveLength(1);
    const keptAs = path.join(`${file}.datasets`, aside[0]!);
    expect(readFileSync(keptAs, 'utf8')).toBe(edited);
    expect(readFileSync(index, 'utf8')).toContain('second');
    expect(readdirSync(dir).filter((name) => name.includes('.changed-'))).toEqual([]);
    const warnings = stdoutRecords(proc.stdout()).filter((record) => record['level'] === 'warn');
    expect(warnings).toEqual([
      expect.objectContaining({
        baselinesFile: index,
        keptAs,
        msg: `The baselines' index ${index} was changed by another program while the emulator ran: that version is kept as ${keptAs}, and the emulator's list of baselines was written in its place. Stop the emulator before editing the file, or save baselines with PUT /_emulator/snapshots/{name}.`,
      }),
    ]);
    expect(proc.stderr()).toBe('');
  }, 60_000);

  it("keeps a baseline's stored dataset edited while it runs as <hash>.json.changed-<time>, with its own warning, and writes the baseline's records in its place", async () => {
    const dir = tempDir();
    const file = path.join(dir, 'db.json');
    const proc = spawnEmulator([], { FIXTURES: 'empty', DATA_FILE: file, LOG_FORMAT: 'json', LOG_LEVEL: 'warn' });
    const [, url] = await proc.waitFor(LISTENING);
    expect((await fetch(`${url}/_emulator/snapshots/clean`, { method: 'PUT' })).status).toBe(201);
    const datasets = `${file}.datasets`;
    const dataset = path.join(datasets, `${JSON.parse(readFileSync(path.join(datasets, 'baselines.json'), 'utf8')).baselines[0].dataset}.json`);
    const original = readFileSync(dataset, 'utf8');
    // Seen once as written before the edit.
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const edited = original.replace('"displayName":"General"', '"displayName":"Renamed by hand"');
    writeFileSync(dataset, edited);
    const aside = () => readdirSync(datasets).filter((name) => name.startsWith(`${path.basename(dataset)}.changed-`));
    for (let i = 0; i < 200 && (aside().length === 0 || readFileSync(dataset, 'utf8') !== original); i += 1)
      await new Promise((resolve) => setTimeout(resolve, 50));
    proc.child.kill('SIGTERM');
    expect((await proc.exited).code).toBe(0);

    expect(aside()).toEqual([expect.stringMatching(/^[0-9a-f]{32}\.json\.changed-\d{8}T\d{6}Z$/)]);
    const keptAs = path.join(datasets, aside()[0]!);
    expect(readFileSync(keptAs, 'utf8')).toBe(edited);
    expect(readFileSync(dataset, 'utf8')).toBe(original);
    const warnings = stdoutRecords(proc.stdout()).filter((record) => record['level'] === 'warn');
    expect(warnings).toEqual([
      expect.objectContaining({
        datasetFile: dataset,
        keptAs,
        msg: `The stored dataset ${dataset} was changed by another program while the emulator ran: that version is kept as ${keptAs}, and the records it was written with were written in its place. A stored dataset is written once and never changed; load records with POST /_emulator/reset.`,
      }),
    ]);
    expect(proc.stderr()).toBe('');
  }, 60_000);
});
