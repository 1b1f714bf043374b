// Pipelined requests are handled one at a time on each connection. HTTP/1.1 lets a client send its next requests
// before it reads an answer, and Node parses every request a read holds and hands each to the app at once, queueing
// each answer whole in memory until the ones before it are sent: one connection that wrote 300 pipelined requests
// for a large list page and read nothing held 2.9 GB within 6 s, before the cut of stalled answers (answerStall.ts)
// could free anything. Node gives a queued answer its connection once the answer before it is handed to the socket
// (its 'finish'); the request is handled then, so a connection holds one answer however many requests it pipelines,
// and one whose client reads nothing is cut with that one. Answers still come in the order the requests were sent,
// as HTTP/1.1 requires (RFC 9112 §9.3.2); Graph's front door documents nothing about pipelining (chosen).
import type { ServerResponse } from 'node:http';
import { isKeptResponse } from './syntheticExchange.js';

/**
 * Whether the request waits for its turn: Node gives its response a connection only once the answer before it is
 * handed to the socket (the response's 'socket' event), and never if the connection closes first. A $batch item's
 * response (kept in the process, no connection of its own) never waits.
 */
export function waitsForTurn(res: ServerResponse): boolean {
  return res.socket == null && !isKeptResponse(res);
}
