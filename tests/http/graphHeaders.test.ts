// Graph's headers on every answer, written with the answer's own in one block: the success senders hand Node one
// list (with the body's length in bytes), a header a sender set itself is kept, and writeHead keeps Node's forms.
import { describe, expect, it } from '@jest/globals';
import express, { type Request, type Response } from 'express';
import request from 'supertest';
import { graphHeaders, graphPairs, installGraphHeaders, overTls } from '../../server/http/graphHeaders.js';
import { sendEmpty, sendNoContent, sendOData } from '../../server/http/successAnswers.js';
import { ODATA_JSON, expectGraphHeaders } from '../support/graph.js';

function appAnswering(handler: (req: Request, res: Response) => void, { step = true } = {}) {
  const app = express();
  app.disable('x-powered-by');
  installGraphHeaders(app);
  if (step) app.use(graphHeaders);
  app.all('/x', handler);
  return app;
}

/** What Node read off the wire: the header names in order, the reason phrase. */
function wire(res: request.Response): { rawHeaders: string[]; statusMessage: string } {
  return (res as unknown as { res: { rawHeaders: string[]; statusMessage: string } }).res;
}

const BODY = { displayName: 'Zoë – 東京 ✓', n: 1 };

describe('the success senders', () => {
  it('sendOData: the OData headers, the length in bytes (not characters), no chunks, Graph’s headers first', async () => {
    const res = await request(appAnswering((_req, r) => sendOData(r, 200, BODY))).get('/x');
    expect(res.status).toBe(200);
    expectGraphHeaders(res);
    expect(res.headers['content-type']).toBe(ODATA_JSON);
    expect(res.headers['odata-version']).toBe('4.0');
    expect(res.text).toBe(JSON.stringify(BODY));
    expect(res.headers['content-length']).toBe(String(Buffer.byteLength(res.text)));
    expect(Number(res.headers['content-length'])).toBeGreaterThan(res.text.length);
    expect(res.headers['transfer-encoding']).toBeUndefined();
    expect(
      wire(res)
        .rawHeaders.filter((_, i) => i % 2 === 0)
        .slice(0, 5),
    ).toEqual(['request-id', 'client-request-id', 'Cache-Control', 'Strict-Transport-Security', 'x-ms-ags-diagnostic']);
  });

  it('sendOData: more header pairs ride along (a create’s Location), and the status is the one given', async () => {
    const res = await request(appAnswering((_req, r) => sendOData(r, 201, BODY, ['Location', 'https://example.test/x/1']))).post('/x');
    expect(res.status).toBe(201);
    expectGraphHeaders(res);
    expect(res.headers['location']).toBe('https://example.test/x/1');
    expect(res.body).toEqual(BODY);
  });

  it('sendOData: an answer to HEAD says no length, as Node sends none for it', async () => {
    const res = await request(appAnswering((_req, r) => sendOData(r, 200, BODY))).head('/x');
    expect(res.status).toBe(200);
    expectGraphHeaders(res);
    expect(res.headers['content-type']).toBe(ODATA_JSON);
    expect(res.headers['content-length']).toBeUndefined();
    expect(res.headers['transfer-encoding']).toBeUndefined();
  });

  it('sendNoContent: 204 with OData-Version, no length and no chunks', async () => {
    const res = await request(appAnswering((_req, r) => sendNoContent(r))).patch('/x');
    expect(res.status).toBe(204);
    expectGraphHeaders(res);
    expect(res.headers['odata-version']).toBe('4.0');
    expect(res.headers['content-length']).toBeUndefined();
    expect(res.headers['transfer-encoding']).toBeUndefined();
    expect(res.headers['content-type']).toBeUndefined();
  });

  it('sendEmpty: the status given, OData-Version and an empty body of length 0', async () => {
    const res = await request(appAnswering((_req, r) => sendEmpty(r, 200))).post('/x');
    expect(res.status).toBe(200);
    expectGraphHeaders(res);
    expect(res.headers['odata-version']).toBe('4.0');
    expect(res.headers['content-length']).toBe('0');
    expect(res.headers['transfer-encoding']).toBeUndefined();
    expect(res.text).toBe('');
  });
});

describe('writeHead of the app’s responses', () => {
  it('keeps a header the sender set itself, once, whether the answer leaves with a list or without', async () => {
    const viaJson = await request(
      appAnswering((_req, r) => {
        r.setHeader('Cache-Control', 'no-store, no-cache');
        r.json({ ok: true });
      }),
    ).get('/x');
    expect(viaJson.headers['cache-control']).toBe('no-store, no-cache');
    expect(viaJson.headers['request-id']).toBeDefined();
    const viaList = await request(
      appAnswering((_req, r) => {
        r.setHeader('Cache-Control', 'private');
        r.setHeader('request-id', 'own-request');
        r.setHeader('client-request-id', 'own-client');
        sendOData(r, 200, BODY);
      }),
    ).get('/x');
    expect(viaList.headers['cache-control']).toBe('private');
    for (const name of ['cache-control', 'request-id', 'client-request-id']) {
      expect(wire(viaList).rawHeaders.filter((raw) => raw.toLowerCase() === name)).toHaveLength(1);
    }
    expect([viaList.headers['request-id'], viaList.headers['client-request-id']]).toEqual(['own-request', 'own-client']);
    expect(viaList.headers['strict-transport-security']).toBe('max-age=31536000');
    expect(viaList.headers['content-length']).toBe(String(Buffer.byteLength(JSON.stringify(BODY))));
  });

  it('takes a reason phrase with a list, or an object of headers, as Node does', async () => {
    const withReason = await request(
      appAnswering((_req, r) => {
        r.writeHead(202, 'Taken', ['X-One', '1']);
        r.end();
      }),
    ).get('/x');
    expect(withReason.status).toBe(202);
    expect(wire(withReason).statusMessage).toBe('Taken');
    expect(withReason.headers['x-one']).toBe('1');
    expectGraphHeaders(withReason);
    const withObject = await request(
      appAnswering((_req, r) => {
        r.writeHead(200, { 'X-Two': '2' });
        r.end('done');
      }),
    ).get('/x');
    expect(withObject.headers['x-two']).toBe('2');
    expect(withObject.text).toBe('done');
    expectGraphHeaders(withObject);
  });

  it('echoes the client’s client-request-id, and makes none up for a blank one', async () => {
    const app = appAnswering((_req, r) => sendOData(r, 200, BODY));
    const echoed = await request(app).get('/x').set('client-request-id', 'mine-1');
    expect(echoed.headers['client-request-id']).toBe('mine-1');
    expect(echoed.headers['request-id']).not.toBe('mine-1');
    const blank = await request(app).get('/x').set('client-request-id', '  ');
    expect(blank.headers['client-request-id']).toBe(blank.headers['request-id']);
  });

  it('adds nothing to a response that never passed the graphHeaders step', async () => {
    const res = await request(appAnswering((_req, r) => sendOData(r, 200, BODY), { step: false })).get('/x');
    expect(res.status).toBe(200);
    expect(res.headers['request-id']).toBeUndefined();
    expect(res.headers['cache-control']).toBeUndefined();
    expect(res.headers['odata-version']).toBe('4.0');
    expect(res.body).toEqual(BODY);
  });
});

describe('HSTS over TLS', () => {
  it("sends Graph's year over plain http, where browsers ignore it, and max-age=0 over TLS, where they would keep it for the host", () => {
    const ids = { requestId: 'r', clientRequestId: 'c' };
    const hsts = (pairs: string[]) => pairs[pairs.indexOf('Strict-Transport-Security') + 1];
    expect(hsts(graphPairs(ids))).toBe('max-age=31536000');
    expect(hsts(graphPairs(ids, undefined, true))).toBe('max-age=0');
    expect(overTls({ encrypted: true })).toBe(true);
    expect(overTls({})).toBe(false);
    expect(overTls(null)).toBe(false);
  });
});
