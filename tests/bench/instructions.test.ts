// `npm run bench -- --instructions`: its command line, the count read off callgrind's output, one request's share of
// two runs, and the report. The runs themselves take valgrind minutes each, so they are run by hand (bench/README.md).
import { describe, expect, it } from '@jest/globals';
import { FEW_REQUESTS, type InstructionRow, MANY_REQUESTS, callgrindTotal, perRequest } from '../../bench/instructions.js';
import { parseBenchArgs } from '../../bench/options.js';
import { formatInstructions, instructionShare } from '../../bench/report.js';

const row = (workload: InstructionRow['workload'], server: InstructionRow['server'], cost: number): InstructionRow => ({
  workload,
  server,
  totals: [2e9 + FEW_REQUESTS * cost, 2e9 + MANY_REQUESTS * cost],
  perRequest: cost,
});

describe('--instructions on the command line', () => {
  it('is its own run of get and create, at 100 stored by default, with its own report file', () => {
    expect(parseBenchArgs(['--instructions'])).toMatchObject({
      instructions: true,
      workloads: ['get', 'create'],
      sizes: [100],
      seed: false,
      tenants: false,
      out: 'bench/results/instructions.json',
    });
    expect(parseBenchArgs(['--instructions', '--workloads', 'create', '--sizes', '1000'])).toMatchObject({
      instructions: true,
      workloads: ['create'],
      sizes: [1000],
    });
  });

  it('counts only get and create', () => {
    expect(() => parseBenchArgs(['--instructions', '--workloads', 'get,list'])).toThrow("--instructions counts get and create; got 'list'.");
    expect(() => parseBenchArgs(['--instructions', '--workloads', 'seed'])).toThrow("--instructions counts get and create; got 'seed'.");
  });

  it('is off unless asked, and refused with --soak', () => {
    expect(parseBenchArgs([])).toMatchObject({ instructions: false, sizes: [100, 10_000, 100_000], out: 'bench/results/latest.json' });
    expect(parseBenchArgs(['--workloads', 'list'])).toMatchObject({ instructions: false, workloads: ['list'] });
    expect(() => parseBenchArgs(['--instructions', '--soak', '30m'])).toThrow('--instructions and --soak are two different runs: give one of them.');
  });
});

describe('the count', () => {
  it("reads the process's total from callgrind's summary line (older valgrinds write totals)", () => {
    const output = 'version: 1\ncreator: callgrind-3.19.0\nevents: Ir\nfl=(1) ???\n0 17\nsummary: 5577803601\n\n\ntotals: 5577803601\n';
    expect(callgrindTotal(output)).toBe(5_577_803_601);
    expect(callgrindTotal('events: Ir\ntotals: 12345\n')).toBe(12_345);
  });

  it('refuses an output without one rather than read a number that is not there', () => {
    expect(() => callgrindTotal('events: Ir\nfn=(1) main\n0 17\n')).toThrow('the callgrind output has no summary line');
  });

  it('gives one request as the difference of the two runs over the extra requests', () => {
    expect(MANY_REQUESTS).toBeGreaterThan(FEW_REQUESTS);
    expect(perRequest(2_370_643_454, 2_370_643_454 + (MANY_REQUESTS - FEW_REQUESTS) * 1_069_053)).toBe(1_069_053);
  });
});

describe('the report', () => {
  const rows = [
    row('get', 'express', 845_000),
    row('get', 'emulator', 1_000_000),
    row('get', 'emulator-nojournal', 920_000),
    row('get', 'emulator-log-warn', 960_000),
    row('create', 'express', 1_200_000),
    row('create', 'express-durable', 1_500_000),
    row('create', 'emulator', 2_400_000),
    row('create', 'emulator-nojournal', 2_280_000),
  ];

  it("gives what the journal and the log take of the emulator's request of each workload", () => {
    expect(instructionShare(rows, 'get', 'emulator-nojournal')).toBeCloseTo(8, 10);
    expect(instructionShare(rows, 'get', 'emulator-log-warn')).toBeCloseTo(4, 10);
    expect(instructionShare(rows, 'create', 'emulator-nojournal')).toBeCloseTo(5, 10);
    expect(instructionShare(rows, 'create', 'emulator-log-warn')).toBeNull();
    expect(instructionShare(rows.slice(0, 1), 'get', 'emulator-nojournal')).toBeNull();
  });

  it('prints each workload with its servers against bare Express, and the shares', () => {
    const text = formatInstructions(rows, 100);
    expect(text).toContain(
      `each server answered ${FEW_REQUESTS.toLocaleString('en-US')} requests, then (a new process) ${MANY_REQUESTS.toLocaleString('en-US')}`,
    );
    expect(text).toMatch(/\| get by id\s+\| instructions per request\s+\| bare Express over it \|/);
    expect(text).toMatch(/\| express\s+\| 845,000\s+\| 1\.000×\s+\|/);
    expect(text).toMatch(/\| emulator\s+\| 1,000,000\s+\| 0\.845×\s+\|/);
    expect(text).toMatch(/\| emulator-nojournal\s+\| 920,000\s+\| 0\.918×\s+\|/);
    expect(text).toContain("Of the emulator's get by id: the request journal 8.0 %, the request log at info 4.0 %.");
    expect(text).toMatch(/\| create\s+\| instructions per request\s+\| bare Express over it \|/);
    expect(text).toMatch(/\| express-durable\s+\| 1,500,000\s+\| 0\.800×\s+\|/);
    expect(text).toMatch(/\| emulator\s+\| 2,400,000\s+\| 0\.500×\s+\|/);
    expect(text).toContain("Of the emulator's create: the request journal 5.0 %.");
    expect(text).toContain('Reference, not the targets');
  });

  it('leaves out a workload that was not counted', () => {
    const text = formatInstructions(rows.slice(0, 4), 100);
    expect(text).toContain('| get by id');
    expect(text).not.toContain('| create');
    expect(text).not.toContain("Of the emulator's create");
  });
});
