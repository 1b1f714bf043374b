// A request and its response made in this process, for the emulator's own Express app: the items of a $batch
// run as these (through the same steps as a request on the wire, on the batch's connection), and the library
// handle's calls to the admin API are these (no socket, no TLS to trust). The request is a real IncomingMessage
// whose body is already there; the response is a real ServerResponse whose end() keeps the answer instead of
// writing it: status, headers as their senders spelled them, body. Both are made from classes set up once per
// app, with Express's request and response prototypes under them (what app.handle gives each request it is
// handed), so an item costs two plain constructions: a batch of 20 runs 20 of them.
import { IncomingMessage, STATUS_CODES, ServerResponse } from 'node:http';
import { Socket as SocketClass, type Socket } from 'node:net';
import type { Express, Request, Response } from 'express';
import { applyGraphHeaders, graphHeaderPairs } from './graphHeaders.js';

interface SyntheticRequest {
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
  /** The body as sent: one string when it was sent as text (every Graph answer is). */
  body: string | Buffer;
  /** False when the exchange was abandoned before an answer (its batch's connection closed). */
  completed: boolean;
}

interface SyntheticExchange {
  req: Request;
  res: Response;
  /** Settles once the response has ended, or was abandoned. */
  answered: Promise<CapturedAnswer>;
  /** Gives up on the answer: the response closes as a response whose connection went away does. */
  abandon(): void;
}

/** Marks the responses of exchanges: what they end with is kept, not framed and written. */
const KEPT = Symbol('kept answer');

/** Whether a response is an exchange's, whose answer is kept rather than written to a socket. */
export function isKeptResponse(res: ServerResponse): boolean {
  return (res as ServerResponse & { [KEPT]?: true })[KEPT] === true;
}

// Node has kept the spelling of set headers since 15.13; @types/node does not declare the method.
type SpelledHeaders = ServerResponse & { getRawHeaderNames(): string[] };

/** The response of an exchange: what end() would have written, kept. */
interface KeptResponse extends ServerResponse {
  chunks: Array<string | Buffer>;
  settle: (answer: CapturedAnswer) => void;
  ended: boolean;
  /** The name, value pairs handed to writeHead, Graph's first: kept as given, as Node writes such a list. */
  written: string[];
  /** Where Node keeps the header block it wrote; set on end(), it makes `headersSent` true as on the wire. */
  _header: string | null;
}

/**
 * How this Node merges a list handed to writeHead with headers set before it: Node 20 sets each again, in its place
 * (`setHeader`); Node 22 and later remove those first and append the list, where it goes. Asked of Node once, on a
 * response of no connection, so that an answer kept in the process lists its headers as the wire would.
 */
const listReplacesInPlace: boolean = (() => {
  const probe = new ServerResponse(new IncomingMessage(new SocketClass()));
  probe.setHeader('a', '1');
  probe.setHeader('b', '2');
  probe.writeHead(200, ['a', '3']);
  return probe.getHeaderNames()[0] === 'a';
})();

/**
 * The answer's headers in the order Node writes them: those set before writeHead, then those handed to it; one
 * handed to it that was set before is spelled as handed, in that header's place or moved to the list's
 * (listReplacesInPlace).
 */
function headerList(res: KeptResponse): Array<[string, string]> {
  const list = (res as unknown as SpelledHeaders).getRawHeaderNames().map((name): [string, string] => {
    const value = res.getHeader(name);
    return [name, Array.isArray(value) ? value.join(', ') : String(value)];
  });
  const set = list.length;
  const written = res.written;
  let moved: Set<number> | undefined;
  for (let i = 0; i < written.length; i += 2) {
    const name = written[i]!.toLowerCase();
    const at = set === 0 ? -1 : list.findIndex(([other], index) => index < set && other.toLowerCase() === name);
    if (at !== -1 && listReplacesInPlace) list[at] = [written[i]!, written[i + 1]!];
    else {
      if (at !== -1) {
        moved ??= new Set();
        moved.add(at);
      }
      list.push([written[i]!, written[i + 1]!]);
    }
  }
  return moved === undefined ? list : list.filter((_, index) => !moved.has(index));
}

function keep(res: KeptResponse, chunk: unknown, encoding: unknown): void {
  if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
  if (typeof chunk === 'string')
    res.chunks.push(typeof encoding === 'string' && encoding !== 'utf8' && encoding !== 'utf-8' ? Buffer.from(chunk, encoding as BufferEncoding) : chunk);
  else res.chunks.push(Buffer.from(chunk as Uint8Array));
}

function bodyOf(chunks: ReadonlyArray<string | Buffer>): string | Buffer {
  if (chunks.every((chunk) => typeof chunk === 'string')) return chunks.join('');
  return Buffer.concat(chunks.map((chunk) => (typeof chunk === 'string' ? Buffer.from(chunk) : chunk)));
}

function close(res: KeptResponse, completed: boolean): void {
  if (res.ended) return;
  res.ended = true;
  const headers = headerList(res);
  if (completed) res._header = `HTTP/1.1 ${res.statusCode} ${STATUS_CODES[res.statusCode] ?? ''}\r\n${headers.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n`;
  res.finished = completed;
  res.settle({ status: res.statusCode, headers, body: bodyOf(res.chunks), completed });
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
}

interface ExchangeTypes {
  Request: new (socket: Socket) => IncomingMessage;
  Response: new (req: IncomingMessage) => KeptResponse;
}

function exchangeTypes(app: Express): ExchangeTypes {
  class KeptRequest extends IncomingMessage {
    // The body is all here: reading must not touch the socket, which belongs to the request that carried it.
    override _read(): void {}
  }
  class Kept extends ServerResponse {
    chunks: Array<string | Buffer> = [];
    settle: (answer: CapturedAnswer) => void = () => {};
    ended = false;
    written: string[] = [];
  }
  Object.assign(Kept.prototype, {
    [KEPT]: true,
    writeHead(this: KeptResponse, status: number, ...rest: unknown[]) {
      this.statusCode = status;
      const headers = rest.find((arg) => typeof arg === 'object' && arg !== null);
      const pairs = Array.isArray(headers) ? (headers as unknown[]) : Object.entries(headers ?? {}).flat();
      // Graph's headers first, as on the wire (graphHeaders.ts); end() adds them when this was never called. The
      // pairs are kept as a list rather than set one by one: setHeader's checks of every name and value were a
      // large share of a $batch item (bench/README.md), and the senders' headers are the emulator's own.
      const written = graphHeaderPairs(this);
      // A kept body is not framed: its length is no header of its own, as Node adds none for a kept end().
      for (let i = 0; i < pairs.length; i += 2) {
        const name = String(pairs[i]);
        const value = pairs[i + 1];
        if (name.toLowerCase() !== 'content-length') written.push(name, Array.isArray(value) ? value.join(', ') : String(value));
      }
      this.written = written;
      return this;
    },
    write(this: KeptResponse, chunk: unknown, encoding?: unknown) {
      keep(this, chunk, encoding);
      return true;
    },
    end(this: KeptResponse, chunk?: unknown, encoding?: unknown) {
      keep(this, chunk, encoding);
      // What writeHead adds on the wire (graphHeaders.ts), when the sender never called it (a writeHead kept them).
      if (this.written.length === 0) applyGraphHeaders(this);
      close(this, true);
      return this;
    },
  });
  // Whether the answer was kept whole (close()). Node 20 reads `finished`; Node 22 and later set their own flag as
  // 'finish' is emitted, which a kept answer never is: every $batch item was logged as aborted there.
  Object.defineProperty(Kept.prototype, 'writableFinished', {
    get(this: KeptResponse) {
      return this.finished;
    },
  });
  // Once per app: Express's request and response prototypes go under these classes' own.
  Object.setPrototypeOf(KeptRequest.prototype, app.request);
  Object.setPrototypeOf(Kept.prototype, app.response);
  return { Request: KeptRequest, Response: Kept as unknown as ExchangeTypes['Response'] };
}

const typesOfApp = new WeakMap<Express, ExchangeTypes>();

export function syntheticExchange(app: Express, socket: Socket, init: SyntheticRequest): SyntheticExchange {
  let types = typesOfApp.get(app);
  if (types === undefined) {
    types = exchangeTypes(app);
    typesOfApp.set(app, types);
  }
  const message = new types.Request(socket);
  message.method = init.method;
  message.url = init.url;
  const headers: Record<string, string> = init.body === undefined ? init.headers : { ...init.headers, 'content-length': String(init.body.length) };
  message.headers = headers;
  const raw: string[] = [];
  for (const name in headers) raw.push(name, headers[name]!);
  message.rawHeaders = raw;
  message.httpVersion = '1.1';
  message.httpVersionMajor = 1;
  message.httpVersionMinor = 1;
  if (init.body !== undefined && init.body.length > 0) message.push(init.body);
  message.push(null);
  message.complete = true;
  const response = new types.Response(message);
  const req = message as Request;
  const res = response as unknown as Response;
  req.res = res;
  req.originalUrl = init.url;
  res.locals = Object.create(null) as Response['locals'];
  const answered = new Promise<CapturedAnswer>((resolve) => {
    response.settle = resolve;
  });
  return { req, res, answered, abandon: () => close(response, false) };
}

/**
 * Runs the whole app for an exchange: what app.handle does, but for the prototype reset, which would take the
 * exchange's response back to one that writes to a socket. What no route answers is a 404 with no body.
 */
export function handleWhole(app: Express, exchange: SyntheticExchange): void {
  // Express 5's router (the `router` package) has handle(req, res, done); @types/express does not declare it.
  const router = app.router as unknown as { handle(req: Request, res: Response, done: () => void): void };
  router.handle(exchange.req, exchange.res, () => {
    exchange.res.statusCode = 404;
    exchange.res.end();
  });
}
