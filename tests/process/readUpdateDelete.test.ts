// The real entry point: --page-size reaches the list, nextLinks point at the real listening address, and an
// acknowledged PATCH or DELETE survives a SIGKILL (it was durable before the 204).
import { describe, expect, it } from '@jest/globals';
import path from 'node:path';
import { startEmulator, tempDir } from '../support/emulatorProcess.js';
import { PACKAGES } from '../support/graph.js';

const HEADERS = { Authorization: 'Bearer t', 'Content-Type': 'application/json' };

describe('reading, updating and deleting through the emulator process', () => {
  it('pages with --page-size over real HTTP and keeps acknowledged PATCH and DELETE through a SIGKILL', async () => {
    const file = path.join(await tempDir(), 'db.json');
    const first = await startEmulator(['--page-size', '2'], { DATA_FILE: file });
    const ids: string[] = [];
    for (const name of ['a', 'b', 'c', 'd', 'e']) {
      const res = await fetch(`${first.url}${PACKAGES}`, { method: 'POST', headers: HEADERS, body: JSON.stringify({ displayName: name }) });
      ids.push(((await res.json()) as { id: string }).id);
    }

    const seen: string[] = [];
    const sizes: number[] = [];
    let next: string | undefined = `${first.url}${PACKAGES}?$select=displayName`;
    while (next) {
      const res = await fetch(next, { headers: HEADERS });
      expect(res.status).toBe(200);
      expect(res.headers.get('odata-version')).toBe('4.0');
      const body = (await res.json()) as { '@odata.nextLink'?: string; value: Array<{ id: string }> };
      if (body['@odata.nextLink']) expect(body['@odata.nextLink'].startsWith(`${first.url}${PACKAGES}?$select=displayName&$skiptoken=`)).toBe(true);
      sizes.push(body.value.length);
      seen.push(...body.value.map((r) => r.id));
      next = body['@odata.nextLink'];
    }
    expect(sizes).toEqual([2, 2, 1]);
    expect(seen).toEqual(ids);

    const patched = await fetch(`${first.url}${PACKAGES}/${ids[0]}`, { method: 'PATCH', headers: HEADERS, body: JSON.stringify({ description: 'patched' }) });
    expect(patched.status).toBe(204);
    expect(await patched.text()).toBe('');
    const deleted = await fetch(`${first.url}${PACKAGES}/${ids[1]}`, { method: 'DELETE', headers: HEADERS });
    expect(deleted.status).toBe(204);
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');

    const second = await startEmulator([], { DATA_FILE: file });
    try {
      const read = await fetch(`${second.url}${PACKAGES}/${ids[0]}`, { headers: HEADERS });
      expect(await read.json()).toMatchObject({ id: ids[0], displayName: 'a', description: 'patched' });
      const gone = await fetch(`${second.url}${PACKAGES}/${ids[1]}`, { headers: HEADERS });
      expect(gone.status).toBe(404);
      expect(((await gone.json()) as { error: { code: string } }).error.code).toBe('ResourceNotFound');
      const list = (await (await fetch(`${second.url}${PACKAGES}?$orderby=displayName desc&$count=true`, { headers: HEADERS })).json()) as {
        '@odata.count': number;
        value: Array<{ displayName: string }>;
      };
      expect(list['@odata.count']).toBe(4);
      expect(list.value.map((r) => r.displayName)).toEqual(['e', 'd', 'c', 'a']);
    } finally {
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    }
  });
});
