// createApp's object options (logger, journal, onUnexpectedError, signingKey, boundHost) are checked for the shape the
// app calls when the app is made: a wrong one is a ConfigError naming it there, never a TypeError at request time.
import { describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import request from 'supertest';
import { ConfigError, MemoryStore, RequestJournal, createApp, startEmulator } from 'graph-accesspackages-emulator';

const lax = createApp as unknown as (options: Record<string, unknown>) => ReturnType<typeof createApp>;
const GRAPH_PACKAGES = '/beta/identityGovernance/entitlementManagement/accessPackages';
const PINO = 'a pino logger (level, isLevelEnabled, error, warn, info, debug, flush)';

describe('createApp object options', () => {
  it.each([
    [{ logger: console }, `logger must be ${PINO}; got an object.`],
    [{ logger: 5 }, `logger must be ${PINO}; got 5.`],
    [{ journal: 'x' }, 'journal must be a RequestJournal, or null for none; got a string.'],
    [{ onUnexpectedError: 5 }, 'onUnexpectedError must be a function (err, req); got 5.'],
    [{ signingKey: 'x' }, "signingKey is startEmulator's own option (the key beside its data file); leave it out for the key mintToken uses; got a string."],
    [{ boundHost: 5 }, 'boundHost must be the address or name the server listens on, a non-empty string; got 5.'],
    [{ boundHost: '' }, 'boundHost must be the address or name the server listens on, a non-empty string; got a string.'],
  ] as [Record<string, unknown>, string][])('refuses %p with a ConfigError naming the option', (options, message) => {
    const make = () => lax({ store: new MemoryStore(), ...options });
    expect(make).toThrow(new ConfigError(message));
    expect(make).toThrow(ConfigError);
  });

  it('takes a pino logger, a RequestJournal and a function, and answers with them', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
    const journal = new RequestJournal(5);
    const app = lax({ store: new MemoryStore(), auth: 'none', logger, journal, onUnexpectedError: () => {}, boundHost: '127.0.0.1' });
    const res = await request(app).get(GRAPH_PACKAGES).expect(200);
    expect(res.headers['odata-version']).toBe('4.0');
    expect(res.body).toMatchObject({ value: [] });
    expect(lines.map((line) => JSON.parse(line) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ method: 'GET', path: GRAPH_PACKAGES, status: 200, requestId: res.headers['request-id'] }),
    ]);
  });
});

describe('startEmulator with a logger it cannot call', () => {
  it('rejects with a ConfigError naming logger before anything listens', async () => {
    const started = startEmulator({ logger: 5 as never });
    await expect(started).rejects.toThrow(new ConfigError(`logger must be ${PINO}; got 5.`));
    await expect(started).rejects.toBeInstanceOf(ConfigError);
  });
});

describe('list settings and tenant handles', () => {
  it.each([
    [[['http://a.test']], 'corsOrigins[0] must be one item, a string; got a list.'],
    [['http://a.test,http://b.test'], "corsOrigins[0] must be one item, a string; got 'http://a.test,http://b.test', which holds a comma."],
    [[null], 'corsOrigins[0] must be one item, a string; got null.'],
  ])('createApp refuses corsOrigins %j naming the item as given', (corsOrigins, message) => {
    expect(() => lax({ store: new MemoryStore(), corsOrigins })).toThrow(new ConfigError(message));
  });

  it.each([
    [null, 'requests(filter) takes an object of filters or nothing; got null.'],
    [5, 'requests(filter) takes an object of filters or nothing; got 5.'],
    ['GET', 'requests(filter) takes an object of filters or nothing; got a string.'],
    [['GET'], 'requests(filter) takes an object of filters or nothing; got a list.'],
    [{ method: 5 }, 'requests(filter): method must be a string; got 5.'],
    [{ path: null }, 'requests(filter): path must be a string; got null.'],
    [{ status: true }, 'requests(filter): status must be a number or a string; got true.'],
    [{ verb: 'GET' }, "requests(filter) has no filter 'verb'; the filters are method, path, status, tenant, since, limit."],
  ])('requests(%j) rejects with a ConfigError naming the argument, as tenant() does', async (filter, message) => {
    const emulator = await startEmulator();
    try {
      for (const handle of [emulator, emulator.tenant('contoso.onmicrosoft.com')]) {
        const listed = handle.requests(filter as never);
        await expect(listed).rejects.toThrow(new ConfigError(message));
        await expect(listed).rejects.toBeInstanceOf(ConfigError);
      }
      await expect(emulator.requests({ method: 'GET', status: 200, limit: 5, since: undefined })).resolves.toEqual([]);
    } finally {
      await emulator.close();
    }
  });

  it('tenant(undefined) and tenant(null) throw rather than make tenants of those names', async () => {
    const emulator = await startEmulator();
    try {
      expect(() => emulator.tenant(undefined as never)).toThrow(new ConfigError('tenant(tid) takes a tenant id, a string; got undefined.'));
      expect(() => emulator.tenant(null as never)).toThrow(new ConfigError('tenant(tid) takes a tenant id, a string; got null.'));
    } finally {
      await emulator.close();
    }
  });

  it('tenant(tid) of an id no token can carry throws at the call, as store.tenants does, not a handle whose every call is refused', async () => {
    const emulator = await startEmulator();
    try {
      for (const [tid, shown] of [
        ['worker 1', "'worker 1'"],
        ['', "''"],
        ['x'.repeat(129), `'${'x'.repeat(129)}'`],
      ]) {
        expect(() => emulator.tenant(tid!)).toThrow(new ConfigError(`tenant(tid) takes a tenant id, 1 to 128 letters, digits, '.', '-' or '_'; got ${shown}.`));
      }
      expect(emulator.tenant('Worker-1.contoso_2').tenant).toBe('Worker-1.contoso_2');
    } finally {
      await emulator.close();
    }
  });
});
