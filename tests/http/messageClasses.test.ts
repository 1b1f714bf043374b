// The emulator's server creates requests and responses that already have the app's Express prototypes
// (server/http/messageClasses.ts), so that every request shares V8's hidden classes; the app answers the same on
// any other server, where Express sets the prototypes itself.
import { describe, expect, it } from '@jest/globals';
import express, { type NextFunction, type Request, type Response } from 'express';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import v8 from 'node:v8';
import { createApp } from '../../server/app.js';
import { adoptMessageClasses, messageClassesOf } from '../../server/http/messageClasses.js';
import { startEmulator } from '../../server/index.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { listenOn, send } from '../support/realServer.js';
import { ODATA_JSON, expectGraphHeaders } from '../support/graph.js';

// V8's own test of two objects' hidden classes (maps), compiled once natives syntax is allowed.
v8.setFlagsFromString('--allow-natives-syntax');
const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;

/** GET path on its own connection, its text. */
const get = (port: number, path: string): Promise<string> => send(port, { path }).then((answer) => answer.text);

/**
 * Whether two requests, held together in the app's first step (after Express set their prototypes, before
 * anything else touched them), have the same hidden classes: their `req`s, and their `res`es.
 */
async function sharedHiddenClasses(withClasses: boolean): Promise<{ req: boolean; res: boolean }> {
  const app = express();
  if (withClasses) adoptMessageClasses(app);
  const held: [Request, Response, NextFunction][] = [];
  let seen: { req: boolean; res: boolean } | undefined;
  let hold = false;
  app.use((req, res, next) => {
    if (!hold) return next();
    held.push([req, res, next]);
    if (held.length < 2) return;
    seen = { req: sameMap(held[0]![0], held[1]![0]), res: sameMap(held[0]![1], held[1]![1]) };
    for (const [, , go] of held.splice(0)) go();
  });
  app.get('/x', (_req, res) => res.end('ok'));
  const server = createServer(messageClassesOf(app), app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    // Enough requests first for V8 to settle the classes' layout (its slack tracking of the first instances).
    for (let i = 0; i < 20; i += 1) await get(port, '/x');
    hold = true;
    expect(await Promise.all([get(port, '/x'), get(port, '/x')])).toEqual(['ok', 'ok']);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  return seen!;
}

describe("the server's message classes", () => {
  it("give every request and response the same hidden classes, which Express's own prototypes do not (before Node 24)", async () => {
    expect(await sharedHiddenClasses(true)).toEqual({ req: true, res: true });
    // Node 24 keeps one hidden class for messages whose prototype Express changes, with or without these classes.
    const shared = Number(process.versions.node.split('.')[0]) >= 24;
    expect(await sharedHiddenClasses(false)).toEqual({ req: shared, res: shared });
  });

  it("are subclasses of Node's messages whose prototypes are the app's, above Express's own", () => {
    const app = express();
    const before = { request: Object.getPrototypeOf(app.request) as object, response: Object.getPrototypeOf(app.response) as object };
    adoptMessageClasses(app);
    const classes = messageClassesOf(app);
    expect(classes.IncomingMessage!.prototype).toBe(app.request);
    expect(classes.ServerResponse!.prototype).toBe(app.response);
    // Above them, what Express put there: its request and response, then Node's.
    expect(Object.getPrototypeOf(app.request)).toBe(before.request);
    expect(Object.getPrototypeOf(app.response)).toBe(before.response);
    expect(app.request.app).toBe(app);
    expect(app.response.app).toBe(app);
    expect(messageClassesOf(express())).toEqual({});
  });

  it("are the listening emulator's: a message has Express's methods before Express sees it", async () => {
    const emulator = await startEmulator();
    // What a message has before Express sees it: Express's methods and the app (its `app.handle` has not run yet).
    const arrived: { get: string; app: boolean; status: string }[] = [];
    emulator.server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
      arrived.push({ get: typeof (req as Request).get, app: (req as Request).app !== undefined, status: typeof (res as Response).status });
    });
    try {
      const answer = await send(emulator.port, { path: '/beta/identityGovernance/entitlementManagement/accessPackages?$top=1' });
      expect(answer.status).toBe(401);
      expectGraphHeaders(answer);
      expect(answer.body).toMatchObject({ error: { code: 'InvalidAuthenticationToken' } });
      expect(arrived).toEqual([{ get: 'function', app: true, status: 'function' }]);
    } finally {
      await emulator.close();
    }
  });

  it('answer as the same app does on a server made without them: status, headers, body', async () => {
    const store = new MemoryStore();
    const app = createApp({ store, auth: 'none' });
    const plain = await listenOn(app);
    const own = createServer(messageClassesOf(app), app);
    await new Promise<void>((resolve) => own.listen(0, '127.0.0.1', resolve));
    const ownPort = (own.address() as AddressInfo).port;
    try {
      const path = '/beta/identityGovernance/entitlementManagement/accessPackages';
      const created = await send(ownPort, { method: 'POST', path, headers: { 'content-type': 'application/json' }, body: '{"displayName":"Both servers"}' });
      expect(created.status).toBe(201);
      const id = (created.body as { id: string }).id;
      const [a, b] = await Promise.all([plain.port, ownPort].map((port) => send(port, { path: `${path}/${id}`, headers: { 'client-request-id': 'same-id' } })));
      for (const answer of [a!, b!]) {
        expect(answer.status).toBe(200);
        expectGraphHeaders(answer);
        expect(answer.headers['content-type']).toBe(ODATA_JSON);
        expect(answer.headers['client-request-id']).toBe('same-id');
      }
      expect(b!.text).toBe(a!.text);
      expect(Object.keys(b!.headers)).toEqual(Object.keys(a!.headers));
      expect((a!.body as { displayName: string }).displayName).toBe('Both servers');
    } finally {
      own.closeAllConnections();
      await new Promise((resolve) => own.close(resolve));
      await plain.close();
    }
  });
});
