// The benchmark harness end to end at toy sizes: it must start all three servers, measure every workload
// the emulator serves, and write its JSON report. It asserts that numbers come out, never how large. The emulator
// runs from its build, as `npm run bench` runs it (brought up to date before the tests: tests/support/globalSetup.ts):
// some thirty emulators start in a run, and each start from the TypeScript sources would cost a second more.
import { describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BenchResults, MemoryRow, Row, SeedRow } from '../../bench/results.js';
import { runToEnd } from '../support/childProcess.js';

/** `npm run bench` without its build (the tests' setup made it), on plain Node with tsx, run to its end. */
const runBench = (args: string[]) => runToEnd(process.execPath, ['--import', 'tsx', 'bench/run.ts', ...args]);

describe('npm run bench (smoke)', () => {
  it('measures each workload on every server and writes the JSON report', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'bench-smoke-'));
    try {
      const out = path.join(dir, 'report.json');
      const { code, stdout, stderr } = await runBench(['--smoke', '--emulator', 'dist', '--out', out]);
      expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });

      const report = JSON.parse(await readFile(out, 'utf8')) as {
        rows: Row[];
        startup: { server: string; size: number; medianMs: number }[];
        memory: MemoryRow[];
        seed: SeedRow[];
        skipped: { workload: string }[];
        targets: { target: string; met: boolean | null; detail: string }[];
        versions: Record<string, string>;
        syncLatency: BenchResults['syncLatency'];
        tenants: BenchResults['tenants'];
      };
      const measured = new Set<string>(report.rows.map((r) => r.workload));
      // create is always served; every other workload is either measured or reported as skipped.
      expect(measured.has('create')).toBe(true);
      for (const workload of ['create', 'get', 'list', 'filter', 'expand', 'patch', 'batch']) {
        expect(measured.has(workload) !== report.skipped.some((s) => s.workload === workload)).toBe(true);
      }
      for (const workload of ['list', 'filter', 'patch'].filter((w) => measured.has(w))) {
        const servers = report.rows.filter((r) => r.workload === workload && r.size === 50 && r.connections === 4).map((r) => r.server);
        expect(servers.sort()).toEqual(['emulator', 'express', 'json-server']);
      }
      // Create and get against the other servers (create also against bare Express with a durable write, both against
      // bare Express served with the emulator's message classes); then, for
      // the journal's cost, on a fresh pair of emulators per round with the journal on and off (one round in the smoke run).
      for (const workload of ['create', 'get']) {
        const rows = report.rows.filter((r) => r.workload === workload && r.size === 50 && r.connections === 4);
        const others = workload === 'create' ? ['express', 'express-durable', 'express-classes'] : ['express', 'express-classes'];
        expect(rows.map((r) => r.server)).toEqual(['emulator', 'json-server', ...others, 'emulator-journal', 'emulator-nojournal']);
        expect(rows.slice(-2).map((r) => r.rounds.length)).toEqual([1, 1]);
      }
      // What the durable write alone costs bare Express, printed beside the targets (bareExpress.test.ts checks the write).
      expect(stdout).toMatch(/Reference, not a target: bare Express that makes each create durable .* reads \d+\.\d\d× bare Express on create/);
      // And bare Express served as the emulator serves its app.
      expect(stdout).toMatch(
        /Reference, not a target: bare Express served as the emulator serves its app .*: on get it reads \d+\.\d\d× bare Express, and the emulator \d+\.\d\d× it; on create it reads/,
      );
      // $batch of 20 GETs, on the emulator alone at the first size.
      expect(report.rows.filter((r) => r.workload === 'batch').map((r) => `${r.server}@${r.size}×${r.connections}`)).toEqual(['emulator@50×4']);
      for (const target of ['create with the request journal on', 'get by id with the request journal on', '$batch of 20 GETs']) {
        expect(report.targets.find((t) => t.target.startsWith(target))).toMatchObject({ met: expect.any(Boolean) });
      }
      // $expand of the policies runs on its own emulator, with a policy per package, at every size and with one client.
      const expandRows = report.rows.filter((r) => r.workload === 'expand').map((r) => `${r.server}@${r.size}×${r.connections}`);
      expect(expandRows.sort()).toEqual(['emulator-policies@500×1', 'emulator-policies@500×4', 'emulator-policies@50×1', 'emulator-policies@50×4']);
      // The emulator's scaling workloads: from the second size on, against emulator-small (the first size) in the
      // same rounds; the first pages with one client, the deletes with all of them.
      for (const [workload, clients] of [
        ['delete', 4],
        ['nomatch', 1],
        ['orderby', 1],
      ] as const) {
        const rows = report.rows.filter((r) => r.workload === workload);
        expect(rows.map((r) => `${r.server}@${r.size}×${r.connections}`).sort()).toEqual([`emulator-small@500×${clients}`, `emulator@500×${clients}`]);
      }
      for (const row of report.rows) {
        expect({ row: `${row.workload} ${row.server}@${row.size}×${row.connections}`, answered: row.reqPerSec > 0 }).toEqual({
          row: `${row.workload} ${row.server}@${row.size}×${row.connections}`,
          answered: true,
        });
        expect(Number.isFinite(row.p50Ms) && Number.isFinite(row.p99Ms)).toBe(true);
        expect({ workload: row.workload, server: row.server, failed: row.non2xx + row.errors }).toEqual({
          workload: row.workload,
          server: row.server,
          failed: 0,
        });
      }
      expect(report.startup.map((s) => `${s.server}@${s.size}`).sort()).toEqual([
        'emulator-npm@50',
        'emulator-npm@500',
        'emulator-one-tenant@500',
        'emulator-tenants@500',
        'emulator@50',
        'emulator@500',
        'json-server-npm@50',
        'json-server-npm@500',
        'json-server@50',
        'json-server@500',
      ]);
      expect(report.startup.every((s) => s.medianMs > 0)).toBe(true);
      const emulatorMemory = report.memory.filter((m) => m.server === 'emulator');
      expect(emulatorMemory.map((m) => m.size)).toEqual([50, 500]);
      for (const m of emulatorMemory) {
        expect(m.dataFileBytes).toBeGreaterThan(0);
        // /proc exists on the Linux machines this runs on; elsewhere the figures are null, never zero.
        expect([m.rssAfterStartBytes, m.peakRssBytes].every((b) => b === null || b > 0)).toBe(true);
      }
      // Create at the larger size runs side by side with a second emulator holding the first size's records.
      const createAt500 = report.rows.filter((r) => r.workload === 'create' && r.size === 500 && r.server !== 'emulator-tenants' && r.server !== 'express');
      expect(createAt500.map((r) => r.server).sort()).toEqual(['emulator', 'emulator-small', 'json-server']);
      // The tenants workload: the largest size's records in 100 tenants, create and get against Express in the same
      // rounds, and the first request of new tenants.
      for (const workload of ['create', 'get']) {
        const servers = report.rows.filter((r) => r.workload === workload && (r.server === 'emulator-tenants' || (r.server === 'express' && r.size === 500)));
        expect(servers.map((r) => `${r.server}@${r.size}`).sort()).toEqual(['emulator-tenants@500', 'express@500']);
      }
      expect(report.tenants).toEqual({
        tenants: 100,
        perTenant: 5,
        newTenants: { firstMs: expect.any(Number), p50Ms: expect.any(Number), p99Ms: expect.any(Number), count: 20 },
        startupCpuMs: { oneTenant: [expect.anything()], tenants: [expect.anything()] },
      });
      expect(report.tenants!.newTenants.p50Ms).toBeGreaterThan(0);
      for (const target of [
        'create across 100 tenants',
        'get by id across 100 tenants',
        'start-up to healthy at 500 records in 100 tenants',
        "a new tenant's first request",
      ]) {
        expect(report.targets.find((t) => t.target.startsWith(target))).toMatchObject({ met: expect.any(Boolean) });
      }
      // npm run seed, timed at the largest size.
      expect(report.seed).toEqual([{ packages: 500, medianMs: expect.any(Number), runsMs: [expect.any(Number)], cpuMedianMs: expect.any(Number) }]);
      expect(report.seed[0]!.medianMs).toBeGreaterThan(0);
      expect(report.seed[0]!.cpuMedianMs).toBeGreaterThan(0);
      expect(report.targets.find((t) => t.target === 'npm run seed of 500 packages ≤ 10 s')).toMatchObject({
        met: expect.any(Boolean),
        detail: expect.stringContaining('from spawn to exit'),
      });
      // Start-up through npm start is compared with json-server's through npm, at the first size and the largest.
      expect(report.targets.filter((t) => t.target.includes('through npm start')).map((t) => t.met !== null)).toEqual([true, true]);
      // Reset and restore of the default fixtures: on an emulator of their own, one client, each against its 1 ms target.
      const fixtureRows = report.rows.filter((r) => r.workload === 'reset' || r.workload === 'restore');
      expect(fixtureRows.map((r) => `${r.workload}: ${r.server}@${r.size}×${r.connections}`)).toEqual([
        'reset: emulator-fixtures@25×1',
        'restore: emulator-fixtures@25×1',
      ]);
      expect(report.targets.filter((t) => t.target.endsWith('(25 packages), one client: p50 ≤ 1 ms')).map((t) => t.met !== null)).toEqual([true, true]);
      expect(report.targets).toHaveLength(23);
      for (const workload of ['create', 'delete']) {
        expect(report.targets.find((t) => t.target.startsWith(`${workload} at 500 stored`))).toMatchObject({
          met: expect.any(Boolean),
          detail: expect.stringContaining('in the same rounds'),
        });
      }
      for (const page of ['contains(tolower(displayName)', '$orderby=displayName desc']) {
        expect(report.targets.find((t) => t.target.includes(page))).toMatchObject({
          met: expect.any(Boolean),
          detail: expect.stringContaining('in the same rounds'),
        });
      }
      expect(report.syncLatency.before.medianMs).toBeGreaterThan(0);
      expect(report.syncLatency.after?.p90Ms).toBeGreaterThan(0);
      expect(report.versions['json-server']).toBe('1.0.0-beta.15');

      expect(stdout).toContain('| workload | stored | clients | server');
      expect(stdout).toContain('| target ');
      expect(stdout).toMatch(/\| npm run seed \| 500 +\| \d+\.\d/);
      expect(stdout).toContain(`JSON report: ${out}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 150_000);
});

describe('npm run bench -- --soak (smoke)', () => {
  it('samples throughput, latency, RSS, records and data files as it goes, and reads the soak targets off them', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'bench-soak-'));
    try {
      const out = path.join(dir, 'soak.json');
      const { code, stdout, stderr } = await runBench(['--soak', '2s', '--sample', '1s', '--sizes', '50', '--emulator', 'dist', '--out', out]);
      expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
      const report = JSON.parse(await readFile(out, 'utf8')) as {
        startRecords: number;
        connections: number;
        samples: { atS: number; reqPerSec: number; rssBytes: number | null; records: number; dataFileBytes: number; failed: number }[];
        targets: { target: string; met: boolean | null }[];
      };
      expect({ startRecords: report.startRecords, connections: report.connections }).toEqual({ startRecords: 50, connections: 8 });
      expect(report.samples.length).toBeGreaterThanOrEqual(2);
      // Requests were answered; any one sample of a second may hold none on a loaded machine (every client waiting on a
      // create whose sync the disk holds), which is what a soak reports, not a fault of the harness.
      expect(report.samples.some((sample) => sample.reqPerSec > 0)).toBe(true);
      for (const sample of report.samples) {
        expect(sample.reqPerSec).toBeGreaterThanOrEqual(0);
        expect(sample.failed).toBe(0);
        expect(sample.dataFileBytes).toBeGreaterThan(0);
        expect(sample.rssBytes === null || sample.rssBytes > 0).toBe(true);
      }
      // One create in ten is kept: the records grow.
      expect(report.samples.at(-1)!.records).toBeGreaterThan(50);
      expect(report.targets.map((t) => t.target.split(' ').slice(0, 3).join(' '))).toEqual([
        'soak: throughput in',
        'soak: RSS growth',
        'soak: no failed',
        'soak: data files',
      ]);
      expect(report.targets.find((t) => t.target === 'soak: no failed request')?.met).toBe(true);
      // The column is as wide as its widest figure (10,019 req/s on a fast machine).
      expect(stdout).toMatch(/\| at s \| req\/s +\|/);
      expect(stdout).toContain(`JSON report: ${out}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
