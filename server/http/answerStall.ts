// An answer whose client takes none of its bytes is cut. Node keeps every byte of an answer a client does not
// read (a list page of 16 MiB, a $batch's answers of up to 64 Mi characters, an export) for as long as the
// connection stays open, and sets no timeout while an answer is being written: forty clients that asked for a
// large page and read nothing held 2 GB, and a thousand connections would hold far past any machine's memory.
import type { ServerResponse } from 'node:http';

/**
 * How long an answer's client may take none of its bytes before the connection is cut. Any byte the client takes
 * starts the time again, so a slow reader is never cut. Node's socket timeout counts a write still moving as
 * activity when it first expires, so the cut comes after once to twice this (chosen: not documented; Graph's
 * front door cuts a connection that stops reading on its own terms).
 */
export const ANSWER_STALL_MS = 5_000;

/**
 * Arms the cut once the answer is handed to the connection (called right after end(), by the budget of answers,
 * answerBudget.ts, which already wraps every end() of the app's responses: no listener of its own) and not yet taken
 * whole: the time a request waits for its answer (a fault's latency, `drop: hang`, a reset's turn) is never counted.
 * Once the answer is taken, Node's keep-alive timeout replaces this one.
 */
export function cutWhenStalled(res: ServerResponse): void {
  if (!res.writableFinished && !res.destroyed) res.setTimeout(ANSWER_STALL_MS, () => res.destroy());
}
