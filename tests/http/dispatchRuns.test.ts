// How dispatch runs a resource's handler (server/http/dispatch.ts, runInTenant). A request refused with
// StoreError('gone'), its tenant dropped under it before it wrote, runs again once the drop is over, its tenant looked
// up again: at most three times, and only while it has sent nothing; any other refusal is answered at once. The
// handlers here stand for a resource's: one whose tenant is dropped again and again, one that answers before it is
// refused, an action that checks its record before it returns its promise, a function answered without a promise.
// What a real drop does to real requests: tests/http/tenantDropRace.test.ts.
import { describe, expect, it } from '@jest/globals';
import express, { type Request, type Response } from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { StoreError } from '../../server/errors.js';
import { GraphError } from '../../server/graphErrors.js';
import { type Route, type RouteTable, dispatch } from '../../server/http/dispatch.js';
import { errorHandler } from '../../server/http/errorHandler.js';
import { graphHeaders, installGraphHeaders } from '../../server/http/graphHeaders.js';
import { child, routeNode } from '../../server/http/routeTree.js';
import { noTenantMessage } from '../../server/tenantIds.js';
import { expectGraphError } from '../support/graph.js';

const dropped = () => new StoreError('gone', noTenantMessage('w1'));
const NOT_FOUND = "Resource 'p1' does not exist or one of its queried reference-property objects are not present.";

/**
 * An app serving `handler` at POST /thing; `runs()` counts the handler's runs, `lookUps()` the tenant look-ups. A
 * look-up waits, as one of a tenant being dropped or added does (http/tenantStores.ts), unless `waits` says the
 * tenant is there already.
 */
function serving(handler: (run: number, req: Request, res: Response) => void | Promise<void>, waits = (_lookUp: number) => true) {
  let runs = 0;
  let lookUps = 0;
  const route: Route = { handler: (req, res) => handler(++runs, req, res), permissions: [] };
  const table: RouteTable = routeNode<Route>();
  child(table, 'thing', routeNode<Route>({ POST: route }));
  const app = express();
  installGraphHeaders(app);
  const resolveTenant = () => (waits(++lookUps) ? new Promise<void>((resolve) => setImmediate(resolve)) : undefined);
  app.use(
    graphHeaders,
    dispatch(table, resolveTenant),
    errorHandler(() => {}),
  );
  return { app, runs: () => runs, lookUps: () => lookUps };
}

describe('a request whose tenant is dropped under it', () => {
  it('runs again after each drop, its tenant looked up again, and is answered by the run its tenant stays for', async () => {
    const served = serving(async (run, _req, res) => {
      if (run <= 3) throw dropped();
      res.status(201).json({ run });
    });
    const res = await request(served.app).post('/thing');
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body).toEqual({ run: 4 });
    expect([served.runs(), served.lookUps()]).toEqual([4, 4]);
  });

  it("runs at most three times again: dropped a fourth time, it is answered with Graph's 404", async () => {
    // A fifth run would answer 201: the request was run once too often.
    const served = serving(async (run, _req, res) => {
      if (run <= 4) throw dropped();
      res.status(201).json({ run });
    });
    const res = await request(served.app).post('/thing');
    expectGraphError(res, 404, 'ResourceNotFound', noTenantMessage('w1'));
    expect(served.runs()).toBe(4);
  });

  it('is answered by what it sent before the refusal, and not run again', async () => {
    const served = serving(async (run, _req, res) => {
      res.status(201).json({ run });
      throw dropped();
    });
    const res = await request(served.app).post('/thing');
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ run: 1 });
    // A run again would have looked the tenant up at once, before the answer reached the client.
    expect([served.runs(), served.lookUps()]).toEqual([1, 1]);
  });

  it('gets the error an action throws before its promise in a run after the drop, its tenant added again already', async () => {
    // An action reads its record before it returns its promise: in the tenant added again, the record is not there.
    // Another request added the tenant again first: this one finds it at once.
    const served = serving(
      (run) => {
        if (run > 1) throw GraphError.of('notFound', NOT_FOUND);
        return Promise.reject(dropped());
      },
      (lookUp) => lookUp === 1,
    );
    const res = await request(served.app).post('/thing');
    expectGraphError(res, 404, 'ResourceNotFound', NOT_FOUND);
    expect([served.runs(), served.lookUps()]).toEqual([2, 2]);
  });
});

describe('a request refused for another reason', () => {
  it.each([
    ['a conflict in the store', () => new StoreError('conflict', "A record with id 'p1' already exists."), 409, 'Conflict'],
    ['a Graph error', () => GraphError.of('badRequest', 'The request is not valid.'), 400, 'BadRequest'],
  ])('is answered at once with it: %s', async (_name, refusal, status, code) => {
    const served = serving(async (run, _req, res) => {
      if (run === 1) throw refusal();
      res.status(201).json({ run });
    });
    const res = await request(served.app).post('/thing');
    expectGraphError(res, status, code, refusal().message);
    expect(served.runs()).toBe(1);
  });
});

it('keeps the connection of a request answered without a promise (a function such as filterByCurrentUser) open', async () => {
  const served = serving(
    (run, _req, res) => void res.status(200).json({ run }),
    () => false,
  );
  const server = served.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  let connections = 0;
  server.on('connection', () => {
    connections += 1;
  });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const post = () =>
    new Promise<{ status?: number; body: string }>((resolve, reject) => {
      const req = http.request({ port: (server.address() as AddressInfo).port, host: '127.0.0.1', path: '/thing', method: 'POST', agent }, (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode, body }));
      });
      req.on('error', reject).end();
    });
  try {
    expect(await post()).toEqual({ status: 200, body: '{"run":1}' });
    expect(await post()).toEqual({ status: 200, body: '{"run":2}' });
    // Both over one connection: an error after the answer had the server close it.
    expect(connections).toBe(1);
  } finally {
    agent.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
});
