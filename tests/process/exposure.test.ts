// Who can reach the emulator, as its start-up says: the line names the address really bound, and binding
// beyond loopback without ADMIN_TOKEN logs a warning saying what that exposes.
import { describe, expect, it } from '@jest/globals';
import { spawnEmulator } from '../support/childProcess.js';

const BOUND = /listening on (http:\/\/\S+)\/beta \(bound to (\S+?)(, every interface)?; data: :memory:\)/;

async function start(env: Record<string, string>) {
  const proc = spawnEmulator([], { PORT: '0', DATA_FILE: ':memory:', FIXTURES: 'empty', LOG_LEVEL: 'info', LOG_FORMAT: 'json', ...env });
  const [, url, bound, every] = await proc.waitFor(BOUND);
  proc.child.kill('SIGTERM');
  await proc.exited;
  const warnings = proc
    .stdout()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { level: string; msg: string })
    .filter((l) => l.level === 'warn');
  return { url: url!, bound: bound!, every: every !== undefined, warnings };
}

describe('start-up on the network', () => {
  it('on 127.0.0.1 (the default) it names that address and warns of nothing', async () => {
    const { url, bound, every, warnings } = await start({});
    expect(bound).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(url).toBe(`http://${bound}`);
    expect(every).toBe(false);
    expect(warnings).toEqual([]);
  });

  it('on 0.0.0.0 without ADMIN_TOKEN it names every interface and warns who can reach the admin API', async () => {
    const { url, bound, every, warnings } = await start({ HOST: '0.0.0.0' });
    expect(bound).toMatch(/^0\.0\.0\.0:\d+$/);
    expect(every).toBe(true);
    expect(url).toBe(`http://localhost:${bound.split(':')[1]}`);
    expect(warnings).toEqual([
      expect.objectContaining({
        msg: `Reachable from other machines (bound to ${bound}, every interface) and no ADMIN_TOKEN is set: anyone who can reach this port can reset and export the data and replace the fault rules (/_emulator/*). Set ADMIN_TOKEN, or HOST=127.0.0.1 to stay on this machine.`,
      }),
    ]);
  });

  it('on 0.0.0.0 with ADMIN_TOKEN it does not warn', async () => {
    const { every, warnings } = await start({ HOST: '0.0.0.0', ADMIN_TOKEN: 'x' });
    expect(every).toBe(true);
    expect(warnings).toEqual([]);
  });
});
