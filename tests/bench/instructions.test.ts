// `npm run bench -- --instructions`: its command line, the count read off callgrind's output, one get's share of two
// runs, and the report. The runs themselves take valgrind minutes each, so they are run by hand (bench/README.md).
import { describe, expect, it } from '@jest/globals';
import { FEW_GETS, MANY_GETS, type InstructionRow, callgrindTotal, perGet } from '../../bench/instructions.js';
import { parseBenchArgs } from '../../bench/options.js';
import { formatInstructions, instructionShare } from '../../bench/report.js';

const row = (server: InstructionRow['server'], get: number): InstructionRow => ({
  server,
  totals: [2e9 + FEW_GETS * get, 2e9 + MANY_GETS * get],
  perGet: get,
});

describe('--instructions on the command line', () => {
  it('is its own run, at 100 stored by default, with its own report file', () => {
    const options = parseBenchArgs(['--instructions']);
    expect(options).toMatchObject({ instructions: true, sizes: [100], out: 'bench/results/instructions.json' });
    expect(parseBenchArgs(['--instructions', '--sizes', '1000'])).toMatchObject({ instructions: true, sizes: [1000] });
  });

  it('is off unless asked, and refused with --soak', () => {
    expect(parseBenchArgs([])).toMatchObject({ instructions: false, sizes: [100, 10_000, 100_000], out: 'bench/results/latest.json' });
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

  it('gives one get as the difference of the two runs over the extra gets', () => {
    expect(MANY_GETS).toBeGreaterThan(FEW_GETS);
    expect(perGet(2_370_643_454, 2_370_643_454 + (MANY_GETS - FEW_GETS) * 1_069_053)).toBe(1_069_053);
  });
});

describe('the report', () => {
  const rows = [row('express', 845_000), row('emulator', 1_000_000), row('emulator-nojournal', 920_000), row('emulator-log-warn', 960_000)];

  it("gives what the journal and the log take of the emulator's get", () => {
    expect(instructionShare(rows, 'emulator-nojournal')).toBeCloseTo(8, 10);
    expect(instructionShare(rows, 'emulator-log-warn')).toBeCloseTo(4, 10);
    expect(instructionShare(rows.slice(0, 1), 'emulator-nojournal')).toBeNull();
  });

  it('prints each server against bare Express, and the shares', () => {
    const text = formatInstructions(rows, 100);
    expect(text).toContain(`each server answered ${FEW_GETS.toLocaleString('en-US')} gets, then (a new process) ${MANY_GETS.toLocaleString('en-US')}`);
    expect(text).toMatch(/\| express\s+\| 845,000\s+\| 1\.00×\s+\|/);
    expect(text).toMatch(/\| emulator\s+\| 1,000,000\s+\| 0\.84×\s+\|/);
    expect(text).toMatch(/\| emulator-nojournal\s+\| 920,000\s+\| 0\.92×\s+\|/);
    expect(text).toContain("Of the emulator's get: the request journal 8.0 %, the request log at info 4.0 %.");
    expect(text).toContain('Reference, not the targets');
  });
});
