// A dropped connection as a client sees it and as the journal records it (docs/faults.md, `drop`; docs/ci.md,
// Request journal): the error Node's HTTP client (under supertest) reports for each kind, and the entry's status and
// request body.
import { expect } from '@jest/globals';
import type { Test } from 'supertest';
import type { Drop } from './faultModel.js';

/** How long a client waits for a hung connection before it gives up (the emulator then releases it). */
const GIVE_UP_MS = 150;

/**
 * The request fails the way the kind says: a TCP reset; a close without a byte ("socket hang up"); a 200 status line
 * and headers, then a chunk size that is not hex (to a HEAD, a header line without a colon); or no answer at all,
 * until the client's own timeout.
 */
export async function expectDropped(call: Test, drop: Drop, method: string): Promise<void> {
  const sent = drop === 'hang' ? call.timeout(GIVE_UP_MS) : call;
  const err = await sent.then(
    (res) => new Error(`expected the connection dropped (${drop}), got ${res.status}: ${JSON.stringify(res.body)}`),
    (e: Error & { code?: string }) => e,
  );
  const seen = { code: (err as { code?: string }).code, message: err.message };
  const expected = {
    reset: { code: 'ECONNRESET', message: expect.stringMatching(/^(read ECONNRESET|socket hang up)$/) },
    empty: { code: 'ECONNRESET', message: 'socket hang up' },
    malformed:
      method === 'HEAD'
        ? { code: 'HPE_INVALID_HEADER_TOKEN', message: 'Parse Error: Invalid header token' }
        : { code: 'HPE_INVALID_CHUNK_SIZE', message: 'Parse Error: Invalid character in chunk size' },
    hang: { code: 'ECONNABORTED', message: `Timeout of ${GIVE_UP_MS}ms exceeded` },
  }[drop];
  expect([drop, seen]).toEqual([drop, expected]);
}

/**
 * The same through fetch (undici, as the Graph SDKs send): a reset fails the fetch with ECONNRESET; a close without a
 * byte with UND_ERR_SOCKET ("other side closed"); a malformed answer resolves with its 200 status, and reading its
 * body fails (to a HEAD, the fetch fails on the header line); a hang lasts until the client's own timeout.
 */
export async function expectFetchDropped(send: (signal: AbortSignal) => Promise<Response>, drop: Drop, method: string): Promise<void> {
  const seen = await send(AbortSignal.timeout(GIVE_UP_MS)).then(
    async (res) => {
      const status = res.status;
      return res.text().then(
        (text) => ({ status, text }),
        (e: Error & { cause?: { code?: string } }) => ({ status, error: e.name, cause: e.cause?.code }),
      );
    },
    (e: Error & { cause?: { code?: string } }) => ({ error: e.name, cause: e.cause?.code }),
  );
  const expected = {
    reset: { error: 'TypeError', cause: 'ECONNRESET' },
    empty: { error: 'TypeError', cause: 'UND_ERR_SOCKET' },
    malformed:
      method === 'HEAD' ? { error: 'TypeError', cause: 'HPE_INVALID_HEADER_TOKEN' } : { status: 200, error: 'TypeError', cause: 'HPE_INVALID_CHUNK_SIZE' },
    hang: { error: 'TimeoutError', cause: undefined },
  }[drop];
  expect([drop, seen]).toEqual([drop, expected]);
}

/** The journal's status of a dropped exchange: the `200` a malformed answer's status line gave, else none. */
export const droppedStatus = (drop: Drop): number | null => (drop === 'malformed' ? 200 : null);

/**
 * The request body a dropped exchange's entry keeps: the body read once `empty` and `malformed` closed the
 * connection; none after a `reset` or a `hang`, which end it before the body is read (but in phase after, which ran
 * the request and read it).
 */
export const droppedBody = (drop: Drop, late: boolean, body: unknown): unknown => (late || drop === 'empty' || drop === 'malformed' ? (body ?? null) : null);
