// startEmulator refuses a bad setting the way the command line does, before it opens the data file or listens;
// createApp refuses one when the app is made.
import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { readdirSync, rmSync } from 'node:fs';
import { Server } from 'node:net';
import path from 'node:path';
import request from 'supertest';
import { ConfigError, MemoryStore, createApp, startEmulator } from 'graph-accesspackages-emulator';
import { tempDir } from '../support/childProcess.js';
import { READ_WRITE, bearer, unsignedJwt } from '../support/tokens.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('startEmulator with a bad setting', () => {
  it.each([
    [{ journalSize: 0 }, "journalSize must be a whole number from 1 to 100000; got '0'."],
    [{ journalSize: 200000 }, "journalSize must be a whole number from 1 to 100000; got '200000'."],
    [{ journal: 'maybe' as unknown as boolean }, "journal must be on or off; got 'maybe'."],
  ])('%j rejects with a ConfigError naming the option; nothing listens and no data file is made', async (options, message) => {
    const dir = tempDir();
    dirs.push(dir);
    const dataFile = path.join(dir, 'db.json');
    // Every server (http, https) listens through net.Server: no call means nothing listened, on whatever port.
    const listen = jest.spyOn(Server.prototype, 'listen');
    try {
      const started = startEmulator({ ...options, port: 0, dataFile });
      await expect(started).rejects.toThrow(new ConfigError(message));
      await expect(started).rejects.toBeInstanceOf(ConfigError);
      expect(listen).not.toHaveBeenCalled();
    } finally {
      listen.mockRestore();
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it("takes journal: 'off' as the config file does: the journal records nothing", async () => {
    const quiet = await startEmulator({ journal: 'off' as unknown as boolean });
    try {
      await expect(quiet.requests()).rejects.toThrow('The request journal is off');
    } finally {
      await quiet.close();
    }
  });
});

// createApp takes the same values as startEmulator and the configuration, checked by the same parsers when the
// app is made: what a plain-JS caller gives either means what the docs say or is refused there, never a 500 later.
describe('createApp options', () => {
  const lax = createApp as unknown as (options: Record<string, unknown>) => ReturnType<typeof createApp>;
  const GRAPH_PACKAGES = '/beta/identityGovernance/entitlementManagement/accessPackages';

  it.each([
    [{ pageSize: 0 }, "pageSize must be a whole number from 1 to 999; got '0'."],
    [{ pageSize: 1.5 }, "pageSize must be a whole number from 1 to 999; got '1.5'."],
    [{ auth: 'foo' }, "auth must be one of bearer, strict, none; got 'foo'."],
    [{ bodyLimit: 'lots' }, "bodyLimit must be a size such as 1mb, 512kb or 1048576; got 'lots'."],
    [{ bodyLimit: 0 }, "bodyLimit must be at least 1 byte; got '0'."],
    [{ corsOrigins: ['localhost'] }, "corsOrigins: 'localhost' is not an origin like http://localhost:3000."],
    [{ baseUrl: 'ftp://x' }, "baseUrl must be an absolute http(s) URL; got 'ftp://x'."],
    [{ maxTenants: 0 }, "maxTenants must be a whole number from 1 to 100000; got '0'."],
    [{ fixtures: 'huge' }, "fixtures must be one of empty, small, paging or a path to a .json file of records; got 'huge'."],
    [{ fixtures: { fixtures: 'small', seed: -1 } }, "fixtures.seed must be a whole number from 0 to 2147483647; got '-1'."],
    [{ fixtures: { fixture: 'small' } }, "Unknown option 'fixtures.fixture': fixtures takes fixtures, seed and referenceDate."],
    [{ fixtures: 7 }, 'fixtures must be a set name or a .json file (as FIXTURES takes it), or { fixtures, seed, referenceDate }.'],
    [{ faults: { rules: [] } }, 'faults must be a FaultEngine: new FaultEngine({ rules, throttle, seed }).'],
    [
      { fixture: 'small' },
      "Unknown option 'fixture': createApp takes store, signingKey, auth, clientRoles, corsOrigins, allowedHosts, adminToken, bodyLimit, baseUrl, pageSize, maxTenants, boundHost, fixtures, faults, onUnexpectedError, logger, journal.",
    ],
  ] as [Record<string, unknown>, string][])('refuses %j with a ConfigError naming the option', (options, message) => {
    const make = () => lax({ store: new MemoryStore(), ...options });
    expect(make).toThrow(new ConfigError(message));
    expect(make).toThrow(ConfigError);
  });

  it('refuses a missing store when the app is made', () => {
    expect(() => lax({ auth: 'none' })).toThrow(new ConfigError('store must be a Store, such as new MemoryStore().'));
  });

  it('takes fixtures as a set name: a new tenant starts with it and a reset restores it', async () => {
    const app = lax({ store: new MemoryStore(), fixtures: 'small' });
    const listed = await request(app)
      .get(`${GRAPH_PACKAGES}?$count=true&$top=1`)
      .set(bearer(unsignedJwt({ tid: 'w1', scp: READ_WRITE })))
      .expect(200);
    expect(listed.headers['odata-version']).toBe('4.0');
    expect(listed.body['@odata.count']).toBe(25);
    expect(listed.body.value).toHaveLength(1);
    const reset = await request(app).post('/_emulator/reset').expect(200);
    expect(reset.headers['content-type']).toMatch(/^application\/json/);
    expect(reset.body).toMatchObject({ status: 'reset', fixtures: 'small', seed: 42 });
  });

  it("takes bodyLimit as the configuration's size text: 1kb refuses a 2,000-byte body with Graph's 413", async () => {
    const app = lax({ store: new MemoryStore(), auth: 'none', bodyLimit: '1kb' });
    const res = await request(app)
      .post(GRAPH_PACKAGES)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ displayName: 'x'.repeat(1980) }))
      .expect(413);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['request-id']).toEqual(expect.any(String));
    expect(res.body.error).toMatchObject({ code: 'RequestEntityTooLarge', message: 'The request body exceeds the maximum allowed size of 1024 bytes.' });
  });

  it("takes pageSize as text: '2' pages lists two at a time with a nextLink", async () => {
    const app = lax({ store: new MemoryStore(), auth: 'none', pageSize: '2', fixtures: { fixtures: 'small', seed: 42 } });
    await request(app).post('/_emulator/reset').expect(200);
    const res = await request(app).get(GRAPH_PACKAGES).expect(200);
    expect(res.body.value).toHaveLength(2);
    expect(res.body['@odata.nextLink']).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/beta\/identityGovernance\/entitlementManagement\/accessPackages\?\$skiptoken=/);
  });
});
