// How a request finds its handler: the composed middleware steps (http/pipeline.ts) and the resource
// table (http/dispatch.ts), through a plain Express app and through the emulator's own.
import { describe, expect, it } from '@jest/globals';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { pipeline } from '../../server/http/pipeline.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { AUTH, ODATA_JSON, PACKAGES, expectGraphError, expectGraphHeaders } from '../support/graph.js';

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
    expect(onCollection.headers['allow']).toBe('GET, POST');
    const onItem = await request(server).post(`${PACKAGES}/7e3c9bb4-62a9-4c0b-9f3f-000000000000`).set(AUTH).send({});
    expectGraphError(onItem, 405, 'MethodNotAllowed');
    expect(onItem.headers['allow']).toBe('GET, PATCH, DELETE');
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
