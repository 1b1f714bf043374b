// The listening server's limits, sized for a tool on a developer's machine rather than Node's defaults for
// the open internet (a minute for headers, five for a request, no cap on connections). A client that sends
// its headers slowly is cut off in seconds, and a flood of connections cannot exhaust the process.
// The timeouts bound receiving a request only: answers delayed by fault rules take as long as they are told.
import type { ServerOptions } from 'node:http';
import type { Server } from 'node:net';

export const SERVER_LIMITS = {
  /** Time to receive a request's headers: 408 after it. */
  headersTimeoutMs: 10_000,
  /** Time for a TLS handshake (Node's default, 120 s, would let a silent connection hold a slot twelve times as long as an HTTP one). */
  handshakeTimeoutMs: 10_000,
  /** Time to receive a whole request, body included (a 32 MB reset body over a slow link fits). */
  requestTimeoutMs: 60_000,
  /** An idle kept-alive connection is closed after this (Node's default). */
  keepAliveTimeoutMs: 5_000,
  /** How often the timeouts above are checked (Node checks every 30 s by default, which would triple them). */
  checkIntervalMs: 1_000,
  /** Connections open at once; more are refused until some close. */
  maxConnections: 1_000,
} as const;

/** Options for http.createServer / https.createServer. */
export function serverOptions(): ServerOptions {
  return {
    headersTimeout: SERVER_LIMITS.headersTimeoutMs,
    requestTimeout: SERVER_LIMITS.requestTimeoutMs,
    keepAliveTimeout: SERVER_LIMITS.keepAliveTimeoutMs,
    connectionsCheckingInterval: SERVER_LIMITS.checkIntervalMs,
  };
}

/** Limits set on the server after creation. */
export function capConnections(server: Server): void {
  server.maxConnections = SERVER_LIMITS.maxConnections;
}
