// The memory that request bodies still on their way hold, bounded across all requests at once. Each body is
// bounded alone (BODY_LIMIT, a $batch's 4 MB, a reset's 32 MiB), but with 1,000 connections, as many clients
// sending $batch bodies slowly held about 4 GB for the 60 s a request may take. So every body the emulator reads
// (jsonBody.ts on every route, the OAuth token form), and the start of a body refused unread that the request
// journal keeps (journalCapture.ts), takes its bytes from one budget of its app as they arrive,
// before any decoding (and a compressed body what its decompressor makes of them, which is what is kept: 4 KB of
// gzip make a 4 MB $batch), and gives them back once it is read, refused, or its request ends however it ends. A body
// that would pass what is left is answered at once, 503 with Retry-After, and the rest of it is read and dropped as
// a 413's is (bodyDrain.ts). A body already in memory (a $batch item's, the library handle's calls) is not counted.
import type { Readable } from 'node:stream';
import type { Application, Request, Response } from 'express';
import { GraphError, unavailable } from '../graphErrors.js';
import { DRAIN_LIMITS, type DrainLimits, discardBody } from './bodyDrain.js';
import { isKeptResponse } from './syntheticExchange.js';
import { ByteBudget } from './byteBudget.js';

/** The budget of the bodies being received. */
export { ByteBudget as BodyBudget };

/** The least total: eight resets of 32 MiB, or 64 $batch bodies of 4 MB, received at once. */
export const BODY_BUDGET_BYTES = 256 * 1024 * 1024;

/** An app's total for BODY_LIMIT: four of its largest bodies at least, so a raised limit still lets a few in at once. */
export function bodyBudgetTotal(bodyLimit: number): number {
  return Math.max(BODY_BUDGET_BYTES, 4 * bodyLimit);
}

const budgets = new WeakMap<Application, ByteBudget>();
/** For a body reader in an app createApp did not make (a test's own Express app). */
const UNINSTALLED = new ByteBudget(BODY_BUDGET_BYTES);

/** Gives `app` a budget of its own (createApp); the budget is looked up only when a body is read. */
export function installBodyBudget(app: Application, total: number): ByteBudget {
  const budget = new ByteBudget(total);
  budgets.set(app, budget);
  return budget;
}

export function bodyBudgetOf(app: Application): ByteBudget {
  return budgets.get(app) ?? UNINSTALLED;
}

/** What one request's body holds of its app's budget. */
export class BodyAccount {
  #held = 0;
  #closed = false;
  constructor(private readonly budget: ByteBudget | undefined) {}

  /**
   * Counts a chunk as it arrives; false when it would pass what is left (then nothing is taken). Nothing once its
   * request is over: a decompressor may still hand on what it was given, to a reader nobody holds any more.
   */
  take(bytes: number): boolean {
    if (this.budget === undefined || this.#closed) return true;
    if (!this.budget.take(bytes)) return false;
    this.#held += bytes;
    return true;
  }

  /** Gives back what the body held; once is enough, more is harmless. */
  release(): void {
    this.budget?.give(this.#held);
    this.#held = 0;
  }

  /** Its request is over: what it held is given back, and nothing is taken any more. */
  close(): void {
    this.#closed = true;
    this.release();
  }

  /** Once its reader let go of the body: releases it and drops the rest within `drain`. */
  drop(req: Request, drain: DrainLimits): void {
    this.release();
    discardBody(req, drain);
  }

  /** Refuses the body for the budget once its reader let go of it: drops it (above), and gives the answer. */
  refuse(req: Request, drain: DrainLimits): GraphError {
    this.drop(req, drain);
    return refusal(this.budget ?? UNINSTALLED);
  }
}

/**
 * The account of `req`'s body, or the 503 when its declared length alone would pass what is left (the rest then
 * dropped within `drain`). Released when its response closes, which it does however the request ends: answered,
 * aborted, its connection's error or timeout.
 */
export function openAccount(req: Request, res: Response, drain: DrainLimits = DRAIN_LIMITS): BodyAccount | GraphError {
  if (isKeptResponse(res)) return new BodyAccount(undefined);
  const budget = bodyBudgetOf(req.app);
  const account = new BodyAccount(budget);
  if (Number(req.headers['content-length']) > budget.left) return account.refuse(req, drain);
  res.once('close', () => account.close());
  return account;
}

function refusal(budget: ByteBudget): GraphError {
  return unavailable(
    `The emulator holds other request bodies (being received, or a $batch's while its requests run), and this one would pass the ${budget.total} bytes it holds for all of them at once. Try the request again after a delay.`,
  );
}

type BodyReader = (req: Request, res: Response, done: (err?: unknown) => void) => void;

/** The request's events a library's reader listens to (raw-body's, a pipe's). */
const READER_EVENTS = ['data', 'end', 'error', 'aborted', 'close'] as const;

/**
 * The error body-parser gives a body past its limit (its `type` is what the routes translate), made here instead:
 * body-parser reads the whole rest of such a body, unbounded in bytes and time, before it calls back.
 */
function tooLarge(limit: number): Error {
  return Object.assign(new Error('request entity too large'), { type: 'entity.too.large', status: 413, statusCode: 413, expose: true, limit });
}

/**
 * A library's body reader (body-parser's) with the body's bytes taken from the budget as they arrive, and what a
 * decompressor it pipes the body into makes of them. Past what is left, or past `limit` (the reader's own, counted
 * on what it reads: the decompressor's output or the request), or when the decompressor fails, the reader is let go
 * of: the pipe removed and the decompressor destroyed, the listeners it added to the request removed, so what it had
 * gathered is garbage and it never calls back; `done` gets the 503, the 413 or the decompressor's error at once, and
 * the rest of the body is dropped within `drain`.
 */
export function withinBudget(read: BodyReader, drain: DrainLimits = DRAIN_LIMITS, limit = Number.POSITIVE_INFINITY, heldUntilAnswered = false): BodyReader {
  return (req, res, done) => {
    const account = openAccount(req, res, drain);
    if (account instanceof GraphError) return done(account);
    const plain = (req.headers['content-encoding'] ?? 'identity').toLowerCase() === 'identity';
    if (plain && Number(req.headers['content-length']) > limit) {
      account.drop(req, drain);
      return done(tooLarge(limit));
    }
    const before = READER_EVENTS.map((event) => [event, req.listeners(event)] as const);
    // Set once `done` is called: by a refusal here, or by the reader.
    let answered = false;
    let decoded: Readable | undefined;
    let readBytes = 0;
    const letGo = (answer: () => unknown) => {
      answered = true;
      req.off('data', countRequest);
      decoded?.off('data', countDecoded);
      req.unpipe();
      decoded?.destroy();
      for (const [event, kept] of before) {
        for (const listener of req.listeners(event)) if (!kept.includes(listener)) req.off(event, listener as () => void);
      }
      done(answer());
    };
    // Before the reader's own listeners (added after these), so a chunk past either bound never reaches it.
    const count = (chunk: Buffer, read: boolean) => {
      if (answered) return;
      if (read) readBytes += chunk.length;
      if (readBytes > limit) {
        return letGo(() => {
          account.drop(req, drain);
          return tooLarge(limit);
        });
      }
      if (!account.take(chunk.length)) letGo(() => account.refuse(req, drain));
    };
    const countRequest = (chunk: Buffer) => count(chunk, decoded === undefined);
    const countDecoded = (chunk: Buffer) => count(chunk, true);
    req.on('data', countRequest);
    // body-parser pipes a compressed body into its decompressor as it starts, in this call: the pipe is seen here.
    const { pipe } = req;
    req.pipe = <T extends NodeJS.WritableStream>(destination: T, options?: { end?: boolean }): T => {
      decoded = destination as unknown as Readable;
      decoded.on('data', countDecoded);
      // A body that is not the data its Content-Encoding names: answered at once too (body-parser would first read
      // the whole rest), the error as body-parser gives it. Only once: the reader's own listener stays on the stream.
      decoded.once('error', (err) => {
        if (answered) return;
        letGo(() => {
          account.drop(req, drain);
          return err;
        });
      });
      // Closed when body-parser is done with it, read or refused (it then drops the rest of the body uncounted).
      decoded.once('close', () => {
        req.off('data', countRequest);
        if (!heldUntilAnswered) account.release();
      });
      return pipe.call(req, destination, options) as T;
    };
    try {
      read(req, res, (err?: unknown) => {
        req.off('data', countRequest);
        // Else given back with the response's close (openAccount).
        if (!heldUntilAnswered) account.release();
        if (answered) return;
        answered = true;
        done(err);
      });
    } finally {
      delete (req as Partial<Request>).pipe;
    }
  };
}
