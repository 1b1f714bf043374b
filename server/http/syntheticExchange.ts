// A request and its response made in this process, for the emulator's own Express app: the items of a $batch
// run as these (through the same steps as a request on the wire, on the batch's connection), and the library
// handle's calls to the admin API are these (no socket, no TLS to trust). The request is a real IncomingMessage
// whose body is already read; the response is a real ServerResponse whose end() keeps the answer instead of
// writing it: status, headers as their senders spelled them, body.
import { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Express, Request, Response } from 'express';

export interface SyntheticRequest {
  method: string;
  /** Path and query, from `/`. */
  url: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  body?: Buffer;
}

export interface CapturedAnswer {
  status: number;
  /** In the order and spelling they were set, e.g. `Content-Type`. */
  headers: Array<[string, string]>;
  body: Buffer;
  /** False when the exchange was abandoned before an answer (its batch's connection closed). */
  completed: boolean;
}

export interface SyntheticExchange {
  req: Request;
  res: Response;
  /** Settles once the response has ended, or was abandoned. */
  answered: Promise<CapturedAnswer>;
  /** Gives up on the answer: the response closes as a response whose connection went away does. */
  abandon(): void;
}

function bufferOf(chunk: unknown, encoding?: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk);
  return Buffer.from(String(chunk), typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
}

// Node has kept the spelling of set headers since 15.13; @types/node does not declare the method.
type SpelledHeaders = ServerResponse & { getRawHeaderNames(): string[] };

function headerList(res: SpelledHeaders): Array<[string, string]> {
  return res.getRawHeaderNames().map((name) => {
    const value = res.getHeader(name);
    return [name, Array.isArray(value) ? value.join(', ') : String(value)];
  });
}

export function syntheticExchange(app: Express, socket: Socket, init: SyntheticRequest): SyntheticExchange {
  const message = new IncomingMessage(socket);
  message.method = init.method;
  message.url = init.url;
  message.headers = init.body === undefined ? { ...init.headers } : { ...init.headers, 'content-length': String(init.body.length) };
  message.httpVersion = '1.1';
  message.httpVersionMajor = 1;
  message.httpVersionMinor = 1;
  // The body is all here: reading must not touch the socket, which belongs to the request that carried it.
  message._read = () => {};
  if (init.body !== undefined && init.body.length > 0) message.push(init.body);
  message.push(null);
  message.complete = true;
  const response = new ServerResponse(message);
  // What Express's app.handle does to the requests it is given, so its getters (path, query, get, is) work.
  Object.setPrototypeOf(message, app.request);
  Object.setPrototypeOf(response, app.response);
  const req = message as Request;
  const res = response as Response;
  req.res = res;
  req.originalUrl = init.url;
  res.locals = Object.create(null) as Response['locals'];

  const chunks: Buffer[] = [];
  let ended = false;
  let settle: (answer: CapturedAnswer) => void = () => {};
  const answered = new Promise<CapturedAnswer>((resolve) => {
    settle = resolve;
  });
  const close = (completed: boolean) => {
    if (ended) return;
    ended = true;
    res.finished = completed;
    settle({ status: res.statusCode, headers: headerList(res as unknown as SpelledHeaders), body: Buffer.concat(chunks), completed });
    if (!completed) {
      // At once: whoever gives up on the exchange (a batch whose connection closed) sees it closed on return.
      res.emit('close');
      return;
    }
    // As Node does for a response on a socket: 'finish', then 'close', once the sender is done.
    process.nextTick(() => {
      res.emit('finish');
      res.emit('close');
    });
  };
  Object.defineProperty(res, 'headersSent', { get: () => ended && res.finished, configurable: true });
  res.writeHead = ((status: number, ...rest: unknown[]) => {
    res.statusCode = status;
    const headers = rest.find((arg) => typeof arg === 'object' && arg !== null) as Record<string, string> | undefined;
    for (const [name, value] of Object.entries(headers ?? {})) res.setHeader(name, value);
    return res;
  }) as Response['writeHead'];
  res.write = ((chunk: unknown, encoding?: unknown) => {
    if (chunk !== undefined && chunk !== null) chunks.push(bufferOf(chunk, encoding));
    return true;
  }) as Response['write'];
  res.end = ((chunk?: unknown, encoding?: unknown) => {
    if (chunk !== undefined && chunk !== null && typeof chunk !== 'function') chunks.push(bufferOf(chunk, encoding));
    close(true);
    return res;
  }) as Response['end'];
  return { req, res, answered, abandon: () => close(false) };
}
