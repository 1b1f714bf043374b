// How a request finds its handler: the composed middleware steps (http/pipeline.ts) and the resource
// table (http/dispatch.ts), through a plain Express app and through the emulator's own.
import { describe, expect, it } from '@jest/globals';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { pipeline } from '../../server/http/pipeline.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { AUTH, GUID, ODATA_JSON, PACKAGES, expectGraphError, expectGraphHeaders } from '../support/graph.js';

function appWith(...steps: RequestHandler[]) {
  const app = express();
  app.use(pipeline(...steps));
  app.use((_req: Request, res: Response) => res.json({ reached: 'end', trail: res.locals['trail'] }));
  app.use((err: Error, _req: Request, res: Response, _next: NextFunction) => res.status(500).json({ error: err.message, trail: res.locals['trail'] }));
  return app;
}

const mark = (name: string) => (_req: Request, res: Response, next: NextFunction) => {
  res.locals['trail'] = [...((res.locals['trail'] as string[] | undefined) ?? []), name];
  next();
};

describe('pipeline', () => {
  it('runs its steps in order, then goes on to the next layer', async () => {
    const res = await request(appWith(mark('a'), mark('b'), mark('c'))).get('/x');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ reached: 'end', trail: ['a', 'b', 'c'] });
  });

  it.each([
    [
      'a thrown error',
      () => {
        throw new Error('thrown');
      },
    ],
    ['next(err)', (_req: Request, _res: Response, next: NextFunction) => next(new Error('passed'))],
    [
      'a rejected promise',
      async () => {
        throw new Error('rejected');
      },
    ],
  ])('hands %s to the error handler and skips the later steps', async (_name, failing) => {
    const res = await request(appWith(mark('a'), failing, mark('never'))).get('/x');
    expect(res.status).toBe(500);
    expect(res.body.trail).toEqual(['a']);
    expect(res.body.error).toMatch(/^(thrown|passed|rejected)$/);
  });

  it('an async step that calls next() runs the rest synchronously after it', async () => {
    const asyncStep = async (_req: Request, _res: Response, next: NextFunction) => {
      await Promise.resolve();
      next();
    };
    const res = await request(appWith(mark('a'), asyncStep, mark('b'))).get('/x');
    expect(res.body).toEqual({ reached: 'end', trail: ['a', 'b'] });
  });
});

describe('resource table', () => {
  const app = () => createApp({ store: new MemoryStore() });

  it('matches the collection path case-insensitively and with a trailing slash, as Graph does', async () => {
    const server = app();
    for (const path of [PACKAGES.toUpperCase(), `${PACKAGES}/`, PACKAGES.replace('entitlementManagement', 'EntitlementManagement')]) {
      const res = await request(server).get(path).set(AUTH);
      expect(res.status).toBe(200);
      expectGraphHeaders(res);
      expect(res.headers['content-type']).toBe(ODATA_JSON);
      expect(res.body.value).toEqual([]);
    }
  });

  it('matches the item path case-insensitively, as Graph does', async () => {
    const server = app();
    const created = await request(server).post(PACKAGES).set(AUTH).send({ displayName: 'Cased' });
    for (const path of [PACKAGES.toUpperCase(), PACKAGES.replace('accessPackages', 'AccessPackages')]) {
      const res = await request(server).get(`${path}/${created.body.id}`).set(AUTH);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ id: created.body.id, displayName: 'Cased' });
    }
  });

  it('serves HEAD with the headers of GET and no body', async () => {
    const server = app();
    const created = await request(server).post(PACKAGES).set(AUTH).send({ displayName: 'Head' });
    const res = await request(server).head(`${PACKAGES}/${created.body.id}/`).set(AUTH);
    expect(res.status).toBe(200);
    expectGraphHeaders(res);
    expect(res.headers['content-type']).toBe(ODATA_JSON);
    expect(res.text).toBeUndefined();
  });

  it('answers 405 with Allow for a known path and a method it does not serve', async () => {
    const server = app();
    const onCollection = await request(server).delete(PACKAGES).set(AUTH);
    expectGraphError(onCollection, 405, 'MethodNotAllowed', "The HTTP method 'DELETE' is not allowed for the requested resource.");
    expect(onCollection.headers['allow']).toBe('GET, HEAD, POST');
    const onItem = await request(server).post(`${PACKAGES}/7e3c9bb4-62a9-4c0b-9f3f-000000000000`).set(AUTH).send({});
    expectGraphError(onItem, 405, 'MethodNotAllowed');
    expect(onItem.headers['allow']).toBe('GET, HEAD, PATCH, DELETE');
  });

  it('answers 400 naming a key segment that is not valid percent-encoding', async () => {
    const res = await request(app()).get(`${PACKAGES}/%E0%A4%A`).set(AUTH);
    expectGraphError(res, 400, 'BadRequest', "The segment '%E0%A4%A' is not valid percent-encoding.");
  });

  it('leaves deeper paths to the fallback: an unknown segment is 400', async () => {
    const res = await request(app()).get(`${PACKAGES}/7e3c9bb4-62a9-4c0b-9f3f-000000000000/nothing`).set(AUTH);
    expectGraphError(res, 400, 'BadRequest', "Resource not found for the segment 'nothing'.");
  });
});

describe('admin routes inside the one pipeline layer', () => {
  const app = () => createApp({ store: new MemoryStore() });

  it('enters them for /_emulator in any case and with a trailing slash, as an Express mount matches', async () => {
    for (const path of ['/_EMULATOR/health', '/_Emulator/Health/', '/_emulator/health?x=1']) {
      const res = await request(app()).get(path);
      expect(res.status).toBe(200);
      expectGraphHeaders(res);
      expect(res.body).toMatchObject({ status: 'ok', store: ':memory:' });
    }
  });

  it('keeps a path none of them serves a 404 of their own, not a Graph 401', async () => {
    const res = await request(app()).get('/_emulator/nothing');
    expectGraphError(res, 404, 'ResourceNotFound', "The resource '/_emulator/nothing' was not found.");
    expect(res.headers['www-authenticate']).toBeUndefined();
  });

  it('leaves a path that only starts with the same letters, or spells them percent-encoded, to the Graph steps', async () => {
    for (const path of ['/_emulatorx/health', '/%5Femulator/health']) {
      const anonymous = await request(app()).get(path);
      expectGraphError(anonymous, 401, 'InvalidAuthenticationToken');
      const res = await request(app()).get(path).set(AUTH);
      expectGraphError(res, 404, 'ResourceNotFound', `The resource '${path}' was not found.`);
    }
  });

  it('serves an absolute-form request target (a proxy request) as its path', async () => {
    const server = app().listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const answer = await new Promise<{ status: number | undefined; requestId: unknown; body: string }>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, path: `http://127.0.0.1:${port}/_emulator/health` }, (res) => {
          let body = '';
          res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode, requestId: res.headers['request-id'], body }));
        });
        req.on('error', reject).end();
      });
      expect(answer.status).toBe(200);
      expect(answer.requestId).toMatch(GUID);
      expect(JSON.parse(answer.body)).toMatchObject({ status: 'ok' });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
