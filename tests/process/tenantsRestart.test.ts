// Every tenant in the one data file: writes acknowledged in two tenants (and a dropped third) survive a SIGKILL of
// the emulator process, and a clean restart after it writes them all into the snapshot, one record per line.
import { describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DEFAULT_TENANT_ID } from '../../server/tenantIds.js';
import { startEmulator, tempDir } from '../support/emulatorProcess.js';
import { PACKAGES } from '../support/graph.js';

type Json = Record<string, unknown>;

async function call(url: string, method: string, body?: unknown, token?: string): Promise<{ status: number; body: Json }> {
  const res = await fetch(url, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token === undefined ? {} : { Authorization: `Bearer ${token}` }) },
    body: body === undefined ? null : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? {} : (JSON.parse(text) as Json) };
}

async function tokenFor(url: string, tid: string): Promise<string> {
  const minted = await call(`${url}/_emulator/token`, 'POST', { tid });
  expect(minted.status).toBe(200);
  return minted.body['access_token'] as string;
}

async function displayNames(url: string, token: string): Promise<string[]> {
  const list = await call(`${url}${PACKAGES}?$top=999`, 'GET', undefined, token);
  expect(list.status).toBe(200);
  return (list.body['value'] as Array<{ displayName: string }>).map((p) => p.displayName).sort();
}

describe('tenants across a crash and a restart of the emulator process', () => {
  it('keeps what was acknowledged in every tenant through a SIGKILL, and a dropped tenant stays dropped', async () => {
    const file = path.join(await tempDir('tenants-restart-'), 'db.json');
    const env = { DATA_FILE: file, FIXTURES: 'small', SEED: '5', REFERENCE_DATE: '2026-11-01', AUTH: 'strict' };
    const first = await startEmulator([], env);
    const [alpha, beta, dropped] = [await tokenFor(first.url, 'alpha'), await tokenFor(first.url, 'beta'), await tokenFor(first.url, 'dropped')];
    const fixtures = await displayNames(first.url, alpha);
    expect(fixtures).toHaveLength(25);
    for (const [token, name] of [
      [alpha, 'Alpha one'],
      [alpha, 'Alpha two'],
      [beta, 'Beta one'],
      [dropped, 'Never kept'],
    ] as const) {
      expect((await call(`${first.url}${PACKAGES}`, 'POST', { displayName: name }, token)).status).toBe(201);
    }
    const removed = fixtures[0]!;
    const betaFirst = (
      (await call(`${first.url}${PACKAGES}?$filter=${encodeURIComponent(`displayName eq '${removed.replaceAll("'", "''")}'`)}`, 'GET', undefined, beta)).body[
        'value'
      ] as Json[]
    )[0]!;
    expect((await call(`${first.url}${PACKAGES}/${betaFirst['id']}`, 'DELETE', undefined, beta)).status).toBe(204);
    expect((await call(`${first.url}/_emulator/tenants/dropped`, 'DELETE')).status).toBe(204);
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');

    const second = await startEmulator([], env);
    try {
      const tenants = await call(`${second.url}/_emulator/tenants`, 'GET');
      expect((tenants.body['value'] as Json[]).map((t) => [t['id'], t['isDefault'], (t['records'] as Json)['accessPackages']])).toEqual([
        [DEFAULT_TENANT_ID, true, 25],
        ['alpha', false, 27],
        ['beta', false, 25],
      ]);
      // A token minted before the crash is still good (the signing key is in the data folder) and still names its tenant.
      expect(await displayNames(second.url, alpha)).toEqual([...fixtures, 'Alpha one', 'Alpha two'].sort());
      expect(await displayNames(second.url, beta)).toEqual([...fixtures.filter((n) => n !== removed), 'Beta one'].sort());
      expect(await displayNames(second.url, await tokenFor(second.url, DEFAULT_TENANT_ID))).toEqual(fixtures);
    } finally {
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    }

    // The clean stop wrote every tenant into the snapshot: the default at the top level, the others under "tenants".
    const lines = (await readFile(file, 'utf8')).split('\n');
    expect(lines).toContain('"tenants": {');
    expect(lines).toContain('"alpha": {');
    expect(lines).toContain('"beta": {');
    expect(lines.some((l) => l.includes('Never kept'))).toBe(false);
    const third = await startEmulator([], env);
    try {
      expect(await displayNames(third.url, await tokenFor(third.url, 'alpha'))).toEqual([...fixtures, 'Alpha one', 'Alpha two'].sort());
    } finally {
      third.child.kill('SIGTERM');
      expect(await third.exited).toBe(0);
    }
  });
});
