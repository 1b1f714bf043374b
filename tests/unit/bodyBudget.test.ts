// The budget of the bodies being received (bodyBudget.ts): what it takes and gives back, the total for a
// BODY_LIMIT, and a library's reader let go of once a body would pass what is left.
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { createGunzip, gzipSync } from 'node:zlib';
import { describe, expect, it } from '@jest/globals';
import type { Request, Response } from 'express';
import { BodyBudget, BODY_BUDGET_BYTES, bodyBudgetTotal, installBodyBudget, withinBudget } from '../../server/http/bodyBudget.js';
import { GraphError } from '../../server/graphErrors.js';

describe('BodyBudget', () => {
  it('takes what fits in what is left and nothing of what does not', () => {
    const budget = new BodyBudget(100);
    expect(budget.take(60)).toBe(true);
    expect(budget.take(41)).toBe(false);
    expect([budget.inUse, budget.left]).toEqual([60, 40]);
    expect(budget.take(40)).toBe(true);
    budget.give(100);
    expect([budget.inUse, budget.left]).toEqual([0, 100]);
  });
});

describe('bodyBudgetTotal', () => {
  it('is 256 MiB, or four bodies of BODY_LIMIT when that is more', () => {
    expect(BODY_BUDGET_BYTES).toBe(268_435_456);
    expect(bodyBudgetTotal(1_048_576)).toBe(BODY_BUDGET_BYTES);
    expect(bodyBudgetTotal(100 * 1_048_576)).toBe(419_430_400);
  });
});

class FakeSocket extends EventEmitter {
  destroy(): void {}
}

/** A request as withinBudget sees it, in an app with a budget of `total` bytes. */
function fakeExchange(total: number) {
  const app = {} as Request['app'];
  const budget = installBodyBudget(app, total);
  const req = Object.assign(new EventEmitter(), { app, headers: {}, socket: new FakeSocket(), unpipe: () => req, resume: () => req });
  const res = new EventEmitter();
  return { budget, req: req as unknown as Request & EventEmitter, res: res as unknown as Response & EventEmitter };
}

/** A reader that gathers every chunk, as raw-body does, and calls back at the end. */
function gatheringReader() {
  const gathered: Buffer[] = [];
  const read = (req: Request, _res: Response, done: (err?: unknown) => void) => {
    req.on('data', (chunk: Buffer) => gathered.push(chunk));
    req.on('end', () => done());
    req.on('error', done);
  };
  return { read, gathered };
}

describe('withinBudget', () => {
  it('counts the chunks as they come and gives them back when the reader is done', () => {
    const { budget, req, res } = fakeExchange(100);
    const { read } = gatheringReader();
    const results: unknown[] = [];
    withinBudget(read)(req, res, (err) => results.push(err));
    req.emit('data', Buffer.alloc(30));
    req.emit('data', Buffer.alloc(30));
    expect(budget.inUse).toBe(60);
    req.emit('end');
    expect([budget.inUse, results]).toEqual([0, [undefined]]);
  });

  it('past what is left: answers the 503 once, lets go of the reader, and takes nothing more', () => {
    const { budget, req, res } = fakeExchange(100);
    const { read, gathered } = gatheringReader();
    const results: unknown[] = [];
    withinBudget(read, { maxBytes: 1_000, maxMs: 1_000 })(req, res, (err) => results.push(err));
    req.emit('data', Buffer.alloc(60));
    req.emit('data', Buffer.alloc(60));
    expect(results).toHaveLength(1);
    const refused = results[0] as GraphError;
    expect(refused).toBeInstanceOf(GraphError);
    expect([refused.status, refused.code, refused.headers]).toEqual([503, 'serviceNotAvailable', { 'Retry-After': '1' }]);
    expect(budget.inUse).toBe(0);
    // Only the drain listens now; the reader sees no more chunks and its end is never reported.
    req.emit('data', Buffer.alloc(60));
    req.emit('end');
    expect([gathered.length, results.length, budget.inUse]).toEqual([2, 1, 0]);
    expect([req.listenerCount('data'), req.listenerCount('end')]).toEqual([0, 0]);
  });

  it('a declared length past what is left is refused before the reader starts', () => {
    const { budget, req, res } = fakeExchange(100);
    req.headers['content-length'] = '101';
    const results: unknown[] = [];
    let started = false;
    withinBudget(() => {
      started = true;
    })(req, res, (err) => results.push(err));
    expect([started, (results[0] as GraphError).status, budget.inUse]).toEqual([false, 503, 0]);
    req.emit('end');
  });

  it('a declared length of exactly what is left is read', () => {
    const { budget, req, res } = fakeExchange(100);
    req.headers['content-length'] = '100';
    const { read, gathered } = gatheringReader();
    const results: unknown[] = [];
    withinBudget(read)(req, res, (err) => results.push(err));
    req.emit('data', Buffer.alloc(100));
    expect([gathered.length, budget.inUse]).toEqual([1, 100]);
    req.emit('end');
    expect([results, budget.inUse]).toEqual([[undefined], 0]);
  });

  it('past what is left once inflated: the decompressor is unpiped from the request and destroyed', async () => {
    const app = {} as Request['app'];
    const budget = installBodyBudget(app, 1_000);
    const req = Object.assign(new PassThrough(), { app, headers: {}, socket: new FakeSocket() });
    const res = new EventEmitter() as unknown as Response;
    const gunzip = createGunzip();
    const unpiped: unknown[] = [];
    gunzip.on('unpipe', (source) => unpiped.push(source));
    const results: unknown[] = [];
    // As body-parser reads a gzip body: the request piped into its decompressor, the decompressor read.
    const read = (request: Request, _res: Response, done: (err?: unknown) => void) => {
      request.pipe(gunzip).on('data', () => undefined);
      gunzip.on('end', () => done());
    };
    const answered = new Promise<void>((resolve) =>
      withinBudget(read, { maxBytes: 100_000, maxMs: 1_000 })(req as unknown as Request, res, (err) => {
        results.push(err);
        resolve();
      }),
    );
    req.write(gzipSync(Buffer.alloc(50_000, ' ')));
    await answered;
    expect([(results[0] as GraphError).status, results.length, budget.inUse]).toEqual([503, 1, 0]);
    expect([gunzip.destroyed, unpiped]).toEqual([true, [req]]);
    req.destroy();
  });

  it('a request that ends without its reader calling back gives its bytes back as its response closes', () => {
    const { budget, req, res } = fakeExchange(100);
    withinBudget(() => undefined)(req, res, () => undefined);
    req.emit('data', Buffer.alloc(50));
    expect(budget.inUse).toBe(50);
    res.emit('close');
    expect(budget.inUse).toBe(0);
    // A decompressor may still hand on what it was given: nothing is taken for a request that is over.
    req.emit('data', Buffer.alloc(50));
    expect(budget.inUse).toBe(0);
  });
});

describe('withinBudget with a limit of its own', () => {
  it('answers a declared length past the limit with the 413 before the reader starts, and drops the rest within the drain', () => {
    const { budget, req, res } = fakeExchange(1_000);
    req.headers['content-length'] = '500';
    let cut = false;
    req.socket.destroy = () => {
      cut = true;
      return req.socket;
    };
    const results: unknown[] = [];
    let started = false;
    withinBudget(
      () => {
        started = true;
      },
      { maxBytes: 10, maxMs: 1_000 },
      100,
    )(req, res, (err) => results.push(err));
    expect([started, results]).toEqual([false, [expect.objectContaining({ type: 'entity.too.large', status: 413, limit: 100 })]]);
    req.emit('data', Buffer.alloc(20));
    expect([cut, budget.inUse]).toEqual([true, 0]);
  });

  it('keeps the listeners other steps put on the request before it when it lets go of the reader', () => {
    const { req, res } = fakeExchange(100);
    const other = () => undefined;
    req.on('close', other);
    const results: unknown[] = [];
    withinBudget(gatheringReader().read, { maxBytes: 1_000, maxMs: 1_000 })(req, res, (err) => results.push(err));
    req.emit('data', Buffer.alloc(101));
    expect([(results[0] as GraphError).status, req.listeners('close').includes(other)]).toEqual([503, true]);
  });

  /** A reader of a body piped into a decoder it reads, as body-parser reads a compressed one; it answers at the end. */
  function decodedExchange() {
    const app = {} as Request['app'];
    installBodyBudget(app, 10_000);
    const req = Object.assign(new PassThrough(), { app, headers: { 'content-encoding': 'gzip' }, socket: new FakeSocket() });
    const decoder = new PassThrough();
    const read = (request: Request, _res: Response, done: (err?: unknown) => void) => {
      request.pipe(decoder).on('data', () => undefined);
      decoder.on('end', () => done());
      decoder.on('error', done);
    };
    const results: unknown[] = [];
    withinBudget(read, { maxBytes: 1_000, maxMs: 1_000 }, 100)(req as unknown as Request, new EventEmitter() as unknown as Response, (err) =>
      results.push(err),
    );
    return { req, decoder, results };
  }

  it('gives a body one answer, the reader’s: a decoder that fails or hands on more past the limit after it is not heard', async () => {
    for (const after of ['error', 'data'] as const) {
      const { req, decoder, results } = decodedExchange();
      decoder.end(Buffer.alloc(50));
      await new Promise((resolve) => setImmediate(resolve));
      expect(results).toEqual([undefined]);
      if (after === 'error') decoder.emit('error', new Error('incorrect header check'));
      else decoder.emit('data', Buffer.alloc(200));
      expect(results).toEqual([undefined]);
      req.destroy();
    }
  });
});
