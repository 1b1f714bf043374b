// `npm run bench:page` end to end at a toy size: the admin page's benchmark runs the page helpers of the tests on
// plain Node through tsx (no jest), against the built emulator, and prints its report and a verdict. It asserts that
// numbers come out and that the verdict says what they say, never how large they are.
import { expect, it } from '@jest/globals';
import { runToEnd } from '../support/childProcess.js';
import { inChromium } from '../support/adminPageSuite.js';

interface Summary {
  p50: number;
  p90: number;
  max: number;
  n: number;
}

/** `npm run bench:page` without its build (the tests' setup made it), run to its end. */
const runPageBench = (args: string[]) => runToEnd(process.execPath, ['--import', 'tsx', 'bench/adminPage.ts', ...args]);

inChromium('npm run bench:page (smoke)', () => {
  it('times navigations and pages of the table in each order, and says whether the targets are met', async () => {
    // 2,000 records: one name in six has an x, so the filtered table has the three pages of 100 that two Nexts need.
    const { code, stdout, stderr } = await runPageBench(['--records', '2000', '--navigations', '1', '--pages', '2']);
    const verdict = stdout.trim().split('\n').at(-1) ?? '';
    const report = JSON.parse(stdout.slice(0, stdout.lastIndexOf(verdict))) as {
      records: number;
      chromium: string;
      interactiveMs: { inPage: Summary; fromHere: Summary };
      pageMs: Record<'default' | 'orderByDisplayName' | 'filterContainsX', { inPage: Summary; clickToDrawn: Summary }>;
    };
    expect({ code: code === 0 || code === 1, stderr }).toEqual({ code: true, stderr: '' });
    expect(report.records).toBe(2000);
    expect(report.chromium).toMatch(/^\d+\.\d+/);
    const measured = [report.interactiveMs.inPage, report.interactiveMs.fromHere, ...Object.values(report.pageMs).flatMap((m) => [m.inPage, m.clickToDrawn])];
    expect(measured.map((s) => s.n)).toEqual([1, 1, 2, 2, 2, 2, 2, 2]);
    for (const s of measured) expect(s.p50).toBeGreaterThan(0);
    const met = (ms: number, target: number) => (ms < target ? 'met' : 'MISSED');
    expect(verdict).toBe(
      `interactive p50 ${report.interactiveMs.inPage.p50} ms (target < 1000): ${met(report.interactiveMs.inPage.p50, 1000)}; ` +
        `table page p50 ${report.pageMs.default.inPage.p50} ms (target < 100): ${met(report.pageMs.default.inPage.p50, 100)}`,
    );
    expect(code).toBe(verdict.includes('MISSED') ? 1 : 0);
  });
});
