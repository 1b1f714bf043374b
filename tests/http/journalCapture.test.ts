// What the request journal records of a request while it runs (journalCapture.ts), as GET /_emulator/requests
// shows it: which paths are Graph's, and the time and duration of an exchange.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { AUTH, PACKAGES } from '../support/graph.js';

const REQUESTS = '/_emulator/requests';

async function journal(server: ReturnType<typeof createApp>) {
  const res = await request(server).get(REQUESTS).expect(200);
  return res.body.value as Array<Record<string, unknown>>;
}

describe('the request journal records', () => {
  it('a version named in any case, as Express routes it, and nothing that only starts like one', async () => {
    const server = createApp({ store: new MemoryStore() });
    await request(server).get(PACKAGES.replace('/beta/', '/BETA/')).set(AUTH).expect(200);
    await request(server).get('/V1.0/identityGovernance/entitlementManagement/accessPackages').set(AUTH);
    await request(server).get('/x/beta/identityGovernance').set(AUTH).expect(404);
    await request(server).get('/v1x0/identityGovernance').set(AUTH).expect(404);
    expect((await journal(server)).map((e) => [e['method'], e['path']])).toEqual([
      ['GET', PACKAGES.replace('/beta/', '/BETA/')],
      ['GET', '/V1.0/identityGovernance/entitlementManagement/accessPackages'],
    ]);
  });

  it('each exchange at the time it arrived: an injected delay counts in its duration, not in its time', async () => {
    const server = createApp({ store: new MemoryStore() });
    const before = Date.now();
    await request(server).get(PACKAGES).set(AUTH).set('X-Emulator-Fault', 'delay=50').expect(200);
    const after = Date.now();
    const [entry] = await journal(server);
    const time = Date.parse(String(entry!['time']));
    const durationMs = entry!['durationMs'] as number;
    expect(durationMs).toBeGreaterThanOrEqual(49);
    // Its time and duration end when the answer went out, before the client had it.
    expect(time).toBeGreaterThanOrEqual(before - 1);
    expect(time + durationMs).toBeLessThanOrEqual(after + 1);
  });
});
