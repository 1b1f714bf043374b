// The answers the server gives before a request reaches the app (https://nodejs.org/api/http.html#class-httpserver):
// Node would answer them itself, bare (a status line, no body, none of Graph's headers), or not at all. Every
// answer is Graph's envelope with Graph's headers, as every other failure (docs/graph-fidelity.md).
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Request, Response } from 'express';
import { GraphError, sendGraphError } from '../graphErrors.js';
import { type SocketAnswer, answerClientError, closeAfterAnswer, writeGraphAnswer } from './clientErrors.js';
import { graphIdsOf } from '../graphWire.js';
import type { Logger } from '../logger.js';
import { type AnswerIds, logOutsideApp } from './requestLog.js';
import { applyGraphHeaders, graphHeaders } from './graphHeaders.js';

/**
 * An Expect the server does not meet (RFC 9110 §10.1.1: anything but 100-continue) is a 417, which Node sends bare;
 * code and wording chosen: not documented. The body it announces is not read: the connection closes after the answer.
 */
function answerExpectation(req: IncomingMessage, res: ServerResponse): AnswerIds {
  // The request's ids as the app's first step gives them: the client-request-id sent is echoed.
  graphHeaders(req as Request, res as Response, () => {});
  applyGraphHeaders(res);
  res.shouldKeepAlive = false;
  const error = new GraphError(
    { status: 417, code: 'ExpectationFailed', message: 'The expectation is not supported.' },
    "The request's Expect header asks for what this server does not do: only 'Expect: 100-continue' is understood (RFC 9110 section 10.1.1).",
  );
  sendGraphError(res, error);
  return { status: 417, ...graphIdsOf(res) };
}

/**
 * CONNECT asks for a tunnel (RFC 9110 §9.3.6), which only a proxy opens; Node answers it by closing the connection
 * without a word. A 400: its authority-form target (`localhost:80`) names no resource of the emulator, so no 405
 * could say which methods it allows. Chosen: not documented.
 */
function answerConnect(req: IncomingMessage, socket: Duplex): SocketAnswer {
  // Its headers were read: the client-request-id sent is echoed, as on every answer (docs/graph-fidelity.md).
  const answer = writeGraphAnswer(
    socket,
    GraphError.of(
      'badRequest',
      'The emulator is not a proxy and opens no tunnel: CONNECT is not served. Send the request itself to its path under /beta or /v1.0.',
    ),
    req.headers['client-request-id'],
  );
  closeAfterAnswer(socket);
  return answer;
}

/**
 * Whether an Expect header names no expectation at all (`Expect:`, `Expect: ,`): RFC 9110 §10.1.1 allows a 417 only
 * for a member other than 100-continue, and an empty list has none (empty elements are ignored, §5.6.1), so the
 * request is answered as one without Expect. Node hands it to 'checkExpectation' all the same.
 */
function expectsNothing(req: IncomingMessage): boolean {
  return (req.headers.expect ?? '').split(',').every((member) => member.trim() === '');
}

/**
 * Makes the server answer what Node would answer bare, or not at all, in Graph's envelope; each answer a line of
 * `logger`'s, as the app's answers have (requestLog.ts).
 */
export function answerServerEvents(server: Server, logger?: Logger): void {
  const log = (answer: AnswerIds, request: { method: string; url: string } | { code: string }) => {
    if (logger !== undefined) logOutsideApp(logger, answer, request);
  };
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) =>
    answerClientError(err, socket, (answer, error) => log(answer, { code: error.code ?? 'unknown' })),
  );
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => {
    if (expectsNothing(req)) server.emit('request', req, res);
    else log(answerExpectation(req, res), { method: req.method ?? '', url: req.url ?? '' });
  });
  server.on('connect', (req: IncomingMessage, socket: Duplex) => log(answerConnect(req, socket), { method: 'CONNECT', url: req.url ?? '' }));
}

/**
 * What a TLS handshake that failed says of the client, when it says something its user can act on: plain http sent
 * to the HTTPS port (no answer can reach it: it does not speak TLS, and curl then reports an empty reply), or a
 * client that refused the certificate (it does not trust the local CA). Others (a scanner, a closed connection)
 * are not logged.
 */
const TLS_REFUSALS: Readonly<Record<string, string>> = {
  ERR_SSL_HTTP_REQUEST: 'A plain http request reached the HTTPS port and got no answer: use an https:// URL',
  ERR_SSL_SSLV3_ALERT_CERTIFICATE_UNKNOWN: "A client refused the emulator's certificate: it does not trust the CA that signed it",
  ERR_SSL_TLSV1_ALERT_UNKNOWN_CA: "A client refused the emulator's certificate: it does not trust the CA that signed it",
  ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE: "A client refused the emulator's certificate",
};

/** Logs (warn) the TLS handshakes that failed for a reason in TLS_REFUSALS, with the hint of how to trust the CA. */
export function noteTlsRefusals(server: Server, logger: Logger, caFile: string | undefined): void {
  server.on('tlsClientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    socket.destroy();
    const said = err.code === undefined ? undefined : TLS_REFUSALS[err.code];
    if (said === undefined || !logger.isLevelEnabled('warn')) return;
    const trust = said.includes('CA') && caFile !== undefined ? ` (NODE_EXTRA_CA_CERTS=${caFile}, or import it into the browser or OS).` : '.';
    logger.warn({ error: err.code }, `${said}${trust}`);
  });
}
