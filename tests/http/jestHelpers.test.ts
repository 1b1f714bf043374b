// graph-accesspackages-emulator/jest from the sources: one emulator per run, its URL in GRAPH_EMULATOR_URL.
// tests/process/package.test.ts runs the built pair as jest's globalSetup/globalTeardown in another project.
import { afterEach, describe, expect, it } from '@jest/globals';
import globalSetup from '../../server/jest/globalSetup.js';
import globalTeardown from '../../server/jest/globalTeardown.js';
import { URL_VARIABLE, setup, teardown } from '../../server/jest/index.js';

const ACCESS_PACKAGES = '/beta/identityGovernance/entitlementManagement/accessPackages';

describe('the jest helpers', () => {
  afterEach(async () => {
    await teardown();
  });

  it('globalSetup starts an empty emulator on a free port and publishes its URL; globalTeardown stops it', async () => {
    expect(URL_VARIABLE).toBe('GRAPH_EMULATOR_URL');
    await globalSetup();
    const url = process.env.GRAPH_EMULATOR_URL!;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${url}${ACCESS_PACKAGES}`, { headers: { Authorization: 'Bearer t' } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { value: unknown[] }).value).toEqual([]);

    await globalTeardown();
    expect(process.env.GRAPH_EMULATOR_URL).toBeUndefined();
    await expect(fetch(`${url}/_emulator/health`)).rejects.toThrow();
    // A second teardown, as when setup never ran, does nothing.
    await globalTeardown();
  });

  it('setup takes the library options and, called again (watch mode), replaces the running emulator', async () => {
    const first = await setup({ fixtures: 'small', seed: 7 });
    expect(first.store.count('accessPackages')).toBe(25);
    const second = await setup();
    expect(process.env.GRAPH_EMULATOR_URL).toBe(second.url);
    // The first one is closed (its port may already serve another test's server: the port is not what is asked).
    expect(first.server.listening).toBe(false);
    expect(second.store.count('accessPackages')).toBe(0);
  });

  it('setup called twice at once leaves one emulator running, the one GRAPH_EMULATOR_URL names, which teardown stops', async () => {
    const started = await Promise.all([setup(), setup()]);
    try {
      expect(started.filter((emulator) => emulator.server.listening).map((emulator) => emulator.url)).toEqual([process.env.GRAPH_EMULATOR_URL]);
      await teardown();
      expect(started.map((emulator) => emulator.server.listening)).toEqual([false, false]);
    } finally {
      await Promise.all(started.filter((emulator) => emulator.server.listening).map((emulator) => emulator.close()));
    }
  });
});
