// The memory that answers waiting for their clients hold, bounded across all connections at once. Node keeps the
// bytes of an answer its client has not taken yet for as long as the client keeps reading: one that reads a byte
// every few seconds is never cut (answerStall.ts cuts only a client that takes nothing), so 1,000 connections each
// asking for a list page of 16 MiB and reading it slowly could make the emulator hold 16 GB. Every answer the app
// hands Node whole (every Graph answer, error and admin route's: all leave through end(), or sendOData's writeHead
// with its length) takes its bytes from one budget of its app, and gives them back at its response's 'close', which
// Node emits once the answer was handed to the system whole ('finish') or its connection is gone. An answer that
// would pass what is left is replaced by Graph's 503, whose small body is always sent and never counted.
// Not counted: a $batch item's answer (kept in the process: its batch's answer is counted once, whole), what a
// stream writes piece by piece (the admin page's files: a pipe holds one chunk at a time), and an export (one at a
// time already, admin/data.ts; counted, a tenant larger than the budget could never be exported).
import type { ServerResponse } from 'node:http';
import type { Express } from 'express';
import { sendGraphError, unavailable } from '../graphErrors.js';
import { cutWhenStalled } from './answerStall.js';
import { ByteBudget } from './byteBudget.js';

declare module 'node:http' {
  interface ServerResponse {
    /** Bytes this answer took of its app's budget (0: none, or not counted); REFUSED once writeHead refused it. */
    heldAnswerBytes?: number;
  }
}

/**
 * Sixteen of the largest list pages (16 MiB of JSON each) or four of the largest $batch answers (64 Mi characters)
 * held at once, and a thousand connections each holding 256 KiB, where an ordinary answer is a few KiB.
 */
export const ANSWER_BUDGET_BYTES = 256 * 1024 * 1024;

/** The answer's head was refused: its end() sends the 503 instead. */
const REFUSED = -1;

type WriteHead = (this: ServerResponse, status: number, reason?: unknown, headers?: unknown) => ServerResponse;
type End = (this: ServerResponse, chunk?: unknown, encoding?: unknown, callback?: unknown) => ServerResponse;

// Kept on the app's response prototype, so that a response finds them as it finds its methods.
const BUDGET = Symbol('answer budget');
/** The app's responses' writeHead and end as they were before the budget: Graph's headers' writeHead, Node's end. */
const INNER_WRITE_HEAD = Symbol('writeHead without the budget');
const INNER_END = Symbol('end without the budget');
type BudgetedResponse = ServerResponse & { [BUDGET]: ByteBudget; [INNER_WRITE_HEAD]: WriteHead; [INNER_END]: End };

/**
 * Counts the answer's bytes, given back to the budget they were taken from (a test may install another meanwhile)
 * at the response's 'close': Node emits it once per response, once the answer is handed to the system whole or its
 * connection is gone.
 */
function hold(res: ServerResponse, budget: ByteBudget, bytes: number): void {
  res.heldAnswerBytes = bytes;
  res.on('close', () => budget.give(bytes));
}

/** Replaces the answer by the 503: its own body, small and never counted, goes through end() as any answer. */
function refuse(res: ServerResponse, bytes: number): void {
  res.heldAnswerBytes = 0;
  const { total } = (res as BudgetedResponse)[BUDGET];
  const message = `The emulator holds other answers that their clients have not taken yet, and this one of ${bytes} bytes would pass the ${total} bytes it holds for all of them at once. Try the request again after a delay.`;
  sendGraphError(res, unavailable(message));
}

/** An answer to HEAD has no body: Node drops what the sender gives it. */
function bodyless(res: ServerResponse): boolean {
  return res.req.method === 'HEAD';
}

/**
 * The success senders (successAnswers.ts) hand Node the answer's length with its head: the answer is counted, or
 * refused, there, before its head is made. A head without a length is passed on; its body is counted at end().
 */
function writeHeadWithinBudget(this: ServerResponse, status: number, reason?: unknown, headers?: unknown): ServerResponse {
  const given = typeof reason === 'string' ? headers : reason;
  if (this.heldAnswerBytes === undefined && Array.isArray(given) && !bodyless(this)) {
    const at = given.indexOf('Content-Length');
    const bytes = at !== -1 && at % 2 === 0 ? Number(given[at + 1]) : 0;
    if (bytes > 0) {
      const budget = (this as BudgetedResponse)[BUDGET];
      if (!budget.take(bytes)) {
        this.heldAnswerBytes = REFUSED;
        return this;
      }
      hold(this, budget, bytes);
    }
  }
  return (this as BudgetedResponse)[INNER_WRITE_HEAD](status, reason, headers);
}

function byteLength(chunk: unknown, encoding: unknown): number {
  if (typeof chunk === 'string') return Buffer.byteLength(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
  return (chunk as Uint8Array | null | undefined)?.byteLength ?? 0;
}

/**
 * Counts the answer's body as it is handed to Node, or sends the 503 in its place; then arms the cut of an answer its
 * client stops taking. A head already written without a length (no sender does) is counted but cannot be refused.
 */
function endWithinBudget(this: ServerResponse, chunk?: unknown, encoding?: unknown, callback?: unknown): ServerResponse {
  const held = this.heldAnswerBytes;
  if (held === REFUSED) {
    refuse(this, byteLength(chunk, encoding));
    return this;
  }
  if (held === undefined) {
    const bytes = typeof chunk === 'function' || bodyless(this) ? 0 : byteLength(chunk, encoding);
    // No body, nothing to count: an answer without one is never refused.
    if (bytes > 0) {
      const budget = (this as BudgetedResponse)[BUDGET];
      if (this.headersSent) budget.add(bytes);
      else if (!budget.take(bytes)) {
        refuse(this, bytes);
        return this;
      }
      hold(this, budget, bytes);
    }
  }
  (this as BudgetedResponse)[INNER_END](chunk, encoding, callback);
  cutWhenStalled(this);
  return this;
}

/**
 * Gives the app's responses a budget of `total` bytes of answers (createApp; a test's smaller one replaces it). Once
 * per app: Express gives each app its own response prototype, whose writeHead has Graph's headers (graphHeaders.ts).
 */
export function installAnswerBudget(app: Express, total: number): ByteBudget {
  const prototype = app.response as unknown as { [BUDGET]?: ByteBudget; [INNER_WRITE_HEAD]?: WriteHead; [INNER_END]?: End; writeHead: WriteHead; end: End };
  if (prototype[INNER_END] === undefined) {
    prototype[INNER_WRITE_HEAD] = prototype.writeHead;
    prototype[INNER_END] = prototype.end;
    prototype.writeHead = writeHeadWithinBudget;
    prototype.end = endWithinBudget;
  }
  const budget = new ByteBudget(total);
  prototype[BUDGET] = budget;
  return budget;
}

/** The answer is not counted: an export, which takes its turn (one at a time) until its client has read it. */
export function outsideAnswerBudget(res: ServerResponse): void {
  res.heldAnswerBytes = 0;
}
