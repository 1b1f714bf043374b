// A response kept in the process (a $batch item's) has the headers the same handler's answer has on the wire, in
// the same order: Graph's first, then those handed to writeHead (kept as a list); one handed again replaces the one set before.
import { describe, expect, it } from '@jest/globals';
import express, { type Request, type Response } from 'express';
import { Socket } from 'node:net';
import request from 'supertest';
import { graphHeaders, installGraphHeaders } from '../../server/http/graphHeaders.js';
import { handleWhole, syntheticExchange } from '../../server/http/syntheticExchange.js';

function appAnswering(handler: (req: Request, res: Response) => void) {
  const app = express();
  app.disable('x-powered-by');
  installGraphHeaders(app);
  app.use(graphHeaders);
  app.get('/x', handler);
  return app;
}

/** The handler's answer kept in the process, its headers without the ids (which differ per exchange). */
async function kept(app: express.Express) {
  const exchange = syntheticExchange(app, new Socket(), { method: 'GET', url: '/x', headers: { 'client-request-id': 'mine' } });
  handleWhole(app, exchange);
  const answer = await exchange.answered;
  return { ...answer, names: answer.headers.map(([name]) => name), block: (exchange.res as unknown as { _header: string })._header };
}

/** The same handler's answer on the wire: header names in the order Node wrote them, but Node's own. */
async function onTheWire(app: express.Express) {
  const res = await request(app).get('/x').set('client-request-id', 'mine');
  const raw = (res as unknown as { res: { rawHeaders: string[] } }).res.rawHeaders;
  const names = raw.filter((_, i) => i % 2 === 0).filter((name) => !['Date', 'Connection', 'Keep-Alive', 'Content-Length', 'Transfer-Encoding'].includes(name));
  return { status: res.status, names, text: res.text, headers: res.headers };
}

describe('a response kept in the process', () => {
  it("a list handed to writeHead: Graph's headers first, then the list as given, without Content-Length, as on the wire", async () => {
    const app = appAnswering((_req, res) => {
      res.writeHead(201, ['OData-Version', '4.0', 'Location', 'https://x/y', 'Content-Length', '2']);
      res.end('{}');
    });
    const [inProcess, wire] = [await kept(app), await onTheWire(app)];
    expect(inProcess.status).toBe(201);
    expect(inProcess.body).toBe('{}');
    expect(inProcess.names).toEqual([
      'request-id',
      'client-request-id',
      'Cache-Control',
      'Strict-Transport-Security',
      'x-ms-ags-diagnostic',
      'OData-Version',
      'Location',
    ]);
    expect(inProcess.names).toEqual(wire.names);
    expect(inProcess.headers).toContainEqual(['client-request-id', 'mine']);
    expect(inProcess.headers).toContainEqual(['Location', 'https://x/y']);
    // The block the request journal keeps: the same headers, once each.
    expect(inProcess.block).toMatch(/^HTTP\/1\.1 201 Created\r\nrequest-id: [0-9a-f-]{36}\r\nclient-request-id: mine\r\n/);
    expect(inProcess.block.match(/Cache-Control/g)).toHaveLength(1);
    expect(inProcess.block).not.toMatch(/Content-Length/i);
  });

  it('a header set before writeHead and handed to it again is replaced, spelled as handed, where this Node writes it', async () => {
    const app = appAnswering((_req, res) => {
      res.setHeader('Location', 'https://x/old');
      res.setHeader('Retry-After', '3');
      res.writeHead(200, ['location', 'https://x/new', 'OData-Version', '4.0']);
      res.end();
    });
    const [inProcess, wire] = [await kept(app), await onTheWire(app)];
    expect(wire.headers['location']).toBe('https://x/new');
    expect(inProcess.names).toEqual(wire.names);
    expect(inProcess.headers.filter(([name]) => name.toLowerCase() === 'location')).toEqual([['location', 'https://x/new']]);
    // Node 20 sets it again in its place; Node 22 and later remove it and append the list handed to writeHead.
    const [major] = process.versions.node.split('.').map(Number);
    expect(inProcess.names.slice(0, 2)).toEqual(major! >= 22 ? ['Retry-After', 'request-id'] : ['location', 'Retry-After']);
  });

  it('headers handed to writeHead as an object, a value given as a list written as one value, as Node reads it back', async () => {
    const app = appAnswering((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain', Vary: ['Accept', 'Origin'] });
      res.end('ok');
    });
    const [inProcess, wire] = [await kept(app), await onTheWire(app)];
    expect(inProcess.headers.slice(-2)).toEqual([
      ['Content-Type', 'text/plain'],
      ['Vary', 'Accept, Origin'],
    ]);
    expect(wire.headers['vary']).toBe('Accept, Origin');
    expect(inProcess.names).toEqual(wire.names.filter((name, i, all) => all.indexOf(name) === i));
  });

  it("an answer that never called writeHead gets Graph's headers once, after those it set", async () => {
    const app = appAnswering((_req, res) => {
      res.status(404).setHeader('Content-Type', 'application/json');
      res.end('{"error":{}}');
    });
    const [inProcess, wire] = [await kept(app), await onTheWire(app)];
    expect(inProcess.status).toBe(404);
    expect(inProcess.names).toEqual(wire.names);
    expect(inProcess.names.filter((name) => name === 'request-id')).toHaveLength(1);
  });

  it('a body written in parts, as text and as bytes in any encoding, is kept as the bytes the wire carries', async () => {
    const app = appAnswering((_req, res) => {
      res.writeHead(200, 'Fine', { 'Content-Type': 'text/plain; charset=latin1' });
      res.write('caf');
      res.write(Buffer.from('\u00e9 '));
      res.write('\u00e9', 'latin1');
      res.end(Buffer.from('!').toString('base64'), 'base64');
    });
    const [inProcess, wire] = [
      await kept(app),
      await request(app)
        .get('/x')
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk)).on('end', () => done(null, Buffer.concat(chunks)));
        }),
    ];
    // The reason phrase handed to writeHead is not taken for its headers.
    expect(inProcess.headers).toContainEqual(['Content-Type', 'text/plain; charset=latin1']);
    expect(wire.headers['content-type']).toBe('text/plain; charset=latin1');
    expect(Buffer.isBuffer(inProcess.body)).toBe(true);
    expect(inProcess.body).toEqual(Buffer.concat([Buffer.from('caf\u00e9 '), Buffer.from([0xe9]), Buffer.from('!')]));
    expect(inProcess.body).toEqual(wire.body);
  });

  it("ends as a response on a socket does: 'finish' then 'close' once it has returned, and an abandon after it changes nothing", async () => {
    const events: string[] = [];
    const app = appAnswering((_req, res) => {
      res.on('finish', () => events.push('finish')).on('close', () => events.push('close'));
      res.end('{}');
      events.push('returned');
    });
    const exchange = syntheticExchange(app, new Socket(), { method: 'GET', url: '/x', headers: {} });
    handleWhole(app, exchange);
    const answer = await exchange.answered;
    exchange.abandon();
    await new Promise((resolve) => setImmediate(resolve));
    expect(events).toEqual(['returned', 'finish', 'close']);
    expect(answer).toMatchObject({ status: 200, body: '{}', completed: true });
    // What the request log reads to tell an answered item from an aborted one, on every Node.
    expect(exchange.res.writableFinished).toBe(true);
  });

  it('an abandoned exchange settles unanswered and closes at once; a late end() changes nothing', async () => {
    const events: string[] = [];
    let late: Response | undefined;
    const app = appAnswering((_req, res) => {
      res.on('finish', () => events.push('finish')).on('close', () => events.push('close'));
      late = res;
    });
    const exchange = syntheticExchange(app, new Socket(), { method: 'GET', url: '/x', headers: {} });
    handleWhole(app, exchange);
    exchange.abandon();
    expect(events).toEqual(['close']);
    late!.end('{}');
    await new Promise((resolve) => setImmediate(resolve));
    expect(await exchange.answered).toMatchObject({ completed: false, body: '' });
    expect(events).toEqual(['close']);
    expect(exchange.res.headersSent).toBe(false);
    expect(exchange.res.writableFinished).toBe(false);
  });
});
