// The emulator's app on a real listening socket (port 0), and requests that set any header a browser or an
// attacker would (Host, Origin, Sec-Fetch-Site), read back as an Answer for the assertions in graph.ts.
import { type RequestListener, type Server, createServer, request } from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { type AppOptions, createApp } from '../../server/app.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import type { Answer } from './graph.js';

export interface Listening {
  port: number;
  server: Server;
  close(): Promise<void>;
}

export interface RealServer extends Listening {
  store: AppOptions['store'];
}

/** Any request handler (an Express app) on 127.0.0.1, port 0. */
export async function listenOn(handler: RequestListener): Promise<Listening> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    server,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

export async function realServer(options: Partial<AppOptions> = {}): Promise<RealServer> {
  const store = options.store ?? new MemoryStore();
  return { ...(await listenOn(createApp({ ...options, store }))), store };
}

interface RawRequest {
  method?: string;
  path: string;
  /** A list sends the header once per value. */
  headers?: Record<string, string | string[]>;
  /** Sent in place of `headers`, line by line as given (`['Host', 'a', 'Host', 'b']`), with no Host added. */
  rawHeaders?: string[];
  body?: string | Buffer;
}

export interface RawAnswer extends Answer {
  text: string;
}

/** One request on its own connection; a JSON answer is parsed into `body`. `path` may be absolute-form (`http://host/…`). */
export function send(port: number, { method = 'GET', path, headers = {}, rawHeaders, body }: RawRequest): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const sent = rawHeaders ?? { Host: `127.0.0.1:${port}`, ...headers };
    const req = request({ host: '127.0.0.1', port, method, path, headers: sent, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const json = /json/.test(String(res.headers['content-type'])) && text !== '';
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: json ? (JSON.parse(text) as unknown) : {}, text });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * `text` sent as is on a fresh connection (a request `send` cannot make: an empty Host, HTTP/1.0), read until the
 * server closes it; send `Connection: close` (or HTTP/1.0) so that it does.
 */
export async function sendRaw(port: number, text: string): Promise<RawAnswer> {
  const socket = connect(port, '127.0.0.1');
  socket.end(text);
  let received = '';
  for await (const chunk of socket.setEncoding('utf8')) received += chunk;
  const end = received.indexOf('\r\n\r\n');
  const [statusLine, ...lines] = received.slice(0, end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) headers[line.slice(0, line.indexOf(':')).toLowerCase()] = line.slice(line.indexOf(':') + 1).trim();
  const body = received.slice(end + 4);
  const json = /json/.test(headers['content-type'] ?? '') && body !== '';
  return { status: Number(statusLine!.split(' ')[1]), headers, body: json ? (JSON.parse(body) as unknown) : {}, text: body };
}
