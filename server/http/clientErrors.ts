// The answer to a request Node's parser refuses (a URL or headers past maxHeaderSize, bytes that are not HTTP):
// it never reaches the app, so the server's 'clientError' handler answers it on the socket itself.
import { randomUUID } from 'node:crypto';
import { maxHeaderSize, type ServerResponse, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { type ErrorTemplate, GraphError, errorBody } from '../graphErrors.js';
import { graphPairs, overTls } from './graphHeaders.js';
import type { GraphIds } from '../graphWire.js';

// A request Node's parser refuses never reaches the app, so the server answers it on the socket itself
// (https://nodejs.org/api/http.html#event-clienterror): in Graph's envelope with Graph's headers, as every other
// failure (docs/graph-fidelity.md). Graph documents neither 414 nor 431 (https://learn.microsoft.com/graph/errors);
// 431 is Node's own status for headers past maxHeaderSize, kept (chosen: not documented).
const HEADERS_TOO_LARGE: ErrorTemplate = {
  status: 431,
  code: 'RequestHeaderFieldsTooLarge',
  message: `The request line and headers exceed the ${maxHeaderSize} bytes this server reads. Send a shorter URL (fewer or shorter query options) or fewer headers.`,
};

/** Node's own answer to a request that timed out (serverLimits.ts), kept as Node writes it. */
const REQUEST_TIMEOUT = 'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n';

/** How long an answered connection waits for the client to close it before it is closed here. */
const CLOSE_AFTER_MS = 1_000;

const answered = new WeakSet<Duplex>();

/**
 * An answer written on the socket: its status, its header block as Node keeps one (`_header`), its body, and the
 * request-id and client-request-id it carries (none for Node's bare 408).
 */
export interface SocketAnswer {
  status: number;
  head: string;
  body: string;
  requestId?: string;
  clientRequestId?: string;
}

/** Node's 408 as the socket carries it. */
const TIMED_OUT: SocketAnswer = { status: 408, head: REQUEST_TIMEOUT, body: '' };

const socketAnswers = new WeakMap<ServerResponse, SocketAnswer>();

/** The answer written on the socket in place of a response of the app that sent none itself. */
export function socketAnswerOf(res: ServerResponse): SocketAnswer | undefined {
  return socketAnswers.get(res);
}

/**
 * The answer the client got in place of `res`, when one was written on its socket: a response that finished sent
 * its own, and what the app wrote after a socket answer went into a closed connection.
 */
export function answerInPlaceOf(res: ServerResponse): SocketAnswer | undefined {
  return res.writableFinished ? undefined : socketAnswers.get(res);
}

/** Records what was written on `res`'s socket in its place (a fault's malformed answer), as answerClientError does. */
export function noteSocketAnswer(res: ServerResponse, written: string): void {
  const end = written.indexOf('\r\n\r\n');
  const head = end === -1 ? written : written.slice(0, end + 4);
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(written)?.[1] ?? 0);
  const ids = res.graphIds;
  socketAnswers.set(res, { status, head, body: end === -1 ? '' : written.slice(end + 4), requestId: ids?.requestId, clientRequestId: ids?.clientRequestId });
}

function clientErrorAnswer(err: NodeJS.ErrnoException & { reason?: unknown }): GraphError {
  if (err.code === 'HPE_HEADER_OVERFLOW') return new GraphError(HEADERS_TOO_LARGE);
  // Node answers 413 here: a chunk extension past its limit is a body too large, kept as such.
  if (err.code === 'HPE_CHUNK_EXTENSIONS_OVERFLOW') return GraphError.of('payloadTooLarge');
  const reason = typeof err.reason === 'string' && err.reason !== '' ? ` ${err.reason.replace(/\.?$/, '.')}` : '';
  return GraphError.of('badRequest', `The request is not valid HTTP/1.1 and could not be read.${reason}`);
}

/**
 * The server's 'clientError' handler: what Node does by default, with Graph's answer in place of a bare status line.
 * `unseen` is told of an answer to bytes no request of the app holds (headers too large, not HTTP, a timeout before
 * the headers were whole), which no request's log line will show.
 */
export function answerClientError(err: NodeJS.ErrnoException, socket: Duplex, unseen?: (answer: SocketAnswer, err: NodeJS.ErrnoException) => void): void {
  // Later data of a request already answered fails to parse again: its answer is on the way.
  if (answered.has(socket)) return;
  // As Node: nothing is written to a socket the client reset or that cannot take it, nor after an answer in progress.
  const inFlight = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage;
  if (err.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  answered.add(socket);
  let sent = TIMED_OUT;
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') socket.end(REQUEST_TIMEOUT);
  else sent = writeGraphAnswer(socket, clientErrorAnswer(err), undefined, inFlight?.graphIds, inFlight?.req?.method === 'HEAD');
  // A request whose body Node could not read (a bad chunk size) or that timed out is in the app already: its log
  // line and journal entry record this answer, which its own response never sent (requestLog.ts, journalCapture.ts).
  if (inFlight) socketAnswers.set(inFlight, sent);
  else unseen?.(sent, err);
  closeAfterAnswer(socket);
}

/**
 * Writes Graph's error answer on a socket no response owns, with Graph's headers as every answer carries them
 * (http/graphHeaders.ts), and Connection: close. The client-request-id is the one the request sent when its headers
 * were read (CONNECT), else a fresh id, the same as the request-id, as Graph's is when none is sent.
 * The answer to a HEAD carries no body (https://www.rfc-editor.org/rfc/rfc9110#section-9.3.2): its client reads none,
 * and Node's refuses the connection's answer whole ("Data after Connection: close") when bytes follow the head.
 */
export function writeGraphAnswer(
  socket: Duplex,
  graphError: GraphError,
  sentClientRequestId?: string | string[],
  ids?: GraphIds,
  toHead = false,
): SocketAnswer {
  // A request of the app has its ids already (graphHeaders.ts): its answer carries them, as its log line and its
  // journal entry name them.
  const requestId = ids?.requestId ?? randomUUID();
  const clientRequestId =
    ids?.clientRequestId ?? (typeof sentClientRequestId === 'string' && sentClientRequestId.trim() !== '' ? sentClientRequestId : requestId);
  const body = JSON.stringify(errorBody(graphError, requestId, clientRequestId));
  const pairs = graphPairs({ requestId, clientRequestId }, undefined, overTls(socket));
  const lines = [`HTTP/1.1 ${graphError.status} ${STATUS_CODES[graphError.status]}`];
  for (let i = 0; i < pairs.length; i += 2) lines.push(`${pairs[i]}: ${pairs[i + 1]}`);
  lines.push(`Date: ${new Date().toUTCString()}`, 'Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`, 'Connection: close');
  const head = `${lines.join('\r\n')}\r\n\r\n`;
  const sent = toHead ? '' : body;
  socket.end(`${head}${sent}`);
  return { status: graphError.status, head, body: sent, requestId, clientRequestId };
}

/**
 * Closed when the client closes its side, which lets it read the answer before the connection goes; at the latest
 * after CLOSE_AFTER_MS. Closing at once could reset the connection over request bytes still unread.
 */
export function closeAfterAnswer(socket: Duplex): void {
  const timer = setTimeout(() => socket.destroy(), CLOSE_AFTER_MS);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
}
