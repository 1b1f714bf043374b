// Where the emulator listens, as a URL a client on this machine can use (start-up line, healthcheck,
// certificate names), and where a request reached it (Location, nextLink, the OAuth endpoints' URLs).
import type { IncomingMessage } from 'node:http';
import { createServer } from 'node:net';
import type { TLSSocket } from 'node:tls';

/** HOST values that listen on every interface: a client reaches them through some concrete name. */
export function isWildcardHost(host: string): boolean {
  return host === '0.0.0.0' || host === '::';
}

/** The URL a client on this machine uses for the listener at `host:port` (a wildcard host answers as `reachAs`). */
export function listenerUrl(https: boolean, host: string, port: number, reachAs: string): string {
  const name = isWildcardHost(host) ? reachAs : host;
  return `${https ? 'https' : 'http'}://${name.includes(':') ? `[${name}]` : name}:${port}`;
}

/** Absolute URL of this server as the client reached it, unless a public base URL is configured. */
export function serverBaseUrl(req: IncomingMessage, configured?: string): string {
  if (configured) return configured.replace(/\/+$/, '');
  // What Express's req.protocol answers without 'trust proxy' (never set here: BASE_URL is the proxy story),
  // read straight from the socket rather than through its proxy-trust machinery on every create.
  return `${(req.socket as TLSSocket).encrypted ? 'https' : 'http'}://${req.headers.host ?? localAuthority(req.socket)}`;
}

/** Where a request without Host (HTTP/1.0) reached this server: the socket's own address and port. */
export function localAuthority(socket: IncomingMessage['socket']): string {
  const address = socket.localAddress?.replace(/^::ffff:(?=\d)/, '') ?? 'localhost';
  return `${address.includes(':') ? `[${address}]` : address}:${socket.localPort}`;
}

/** 127.0.0.0/8 and ::1 (also IPv4-mapped): only this machine reaches a server bound there. */
export function isLoopbackAddress(address: string): boolean {
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4) || address === '::1';
}

/** The bound address as the start-up line names it, e.g. `127.0.0.1:4000` or `0.0.0.0:4000, every interface`. */
export function describeBound(address: string, port: number): string {
  const shown = `${address.includes(':') ? `[${address}]` : address}:${port}`;
  return isWildcardHost(address) ? `${shown}, every interface` : shown;
}

/**
 * Listens on `host:port` and closes again, rejecting as the server's own listen would (a port in use, a HOST that
 * does not resolve or is no address of this machine). Done before the data file is opened: a start refused only at
 * its listen had made the data file's folder and a data file seeded with the fixtures, which the next start then
 * took as holding data and never seeded (another FIXTURES given after a wrong PORT was ignored).
 */
export async function checkListenable(port: number, host: string): Promise<void> {
  const probe = createServer();
  // Closed in the turn it starts listening (the listen's callback comes on the next tick, before any I/O): it never
  // accepts a connection (one would be held unanswered, and its close would wait for it). A client polling the port
  // during a start has its connection reset, and its next try reaches the emulator.
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(port, host, () => resolve());
  });
  await new Promise<void>((resolve) => probe.close(() => resolve()));
}
