// What happens to the rest of a body refused as too large. Closing the connection at once (what Node does
// after an answer with `Connection: close`) breaks the clients that send a body without waiting for the
// answer (Node's fetch, undici, most SDKs): they are still writing, and see `write EPIPE` instead of the 413.
// So the answer goes out at once and the rest of the body is read and dropped, up to a size and a time; the
// connection then serves the next request, or is closed if the body goes on past either bound.

export interface DrainLimits {
  /** Bytes read and dropped after the answer, at most. */
  maxBytes: number;
  /** How long the rest of the body may take to arrive. */
  maxMs: number;
}

export const DRAIN_LIMITS: DrainLimits = { maxBytes: 64 * 1024 * 1024, maxMs: 10_000 };

/** The connection a body comes on. */
interface BodySocket {
  destroy(): void;
  once(event: 'close', listener: () => void): unknown;
  off(event: 'close', listener: () => void): unknown;
}

/** A request body as the server reads it. */
export interface BodyStream {
  socket: BodySocket;
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  once(event: 'end' | 'error' | 'close', listener: () => void): unknown;
  off(event: 'data', listener: (chunk: Buffer) => void): unknown;
  resume(): unknown;
}

/**
 * Read what is left of `req`'s body and drop it, within `limits`; past them, close the connection. `keep` sees
 * each chunk first (the request journal keeps the start of a body refused unread). Resolves once the body has
 * ended, or the drain stopped.
 */
export function discardBody(req: BodyStream, limits: DrainLimits = DRAIN_LIMITS, keep?: (chunk: Buffer) => void): Promise<void> {
  let dropped = 0;
  let finished: () => void = () => {};
  const ended = new Promise<void>((resolve) => {
    finished = resolve;
  });
  const done = () => {
    clearTimeout(timer);
    req.off('data', onData);
    req.socket.off('close', done);
    finished();
  };
  const cut = () => {
    done();
    req.socket.destroy();
  };
  const onData = (chunk: Buffer) => {
    keep?.(chunk);
    dropped += chunk.length;
    if (dropped > limits.maxBytes) cut();
  };
  // Unref'd: a drain under way never keeps a closed server's process alive.
  const timer = setTimeout(cut, limits.maxMs).unref();
  // A listener of its own keeps Node from dumping the body unbounded once the answer is sent.
  req.on('data', onData);
  req.once('end', done);
  req.once('error', done);
  req.once('close', done);
  // The request itself says nothing when the client goes away: once its answer is sent, Node no longer counts it
  // among the connection's requests to abort, so neither 'close' nor 'error' comes. The connection's 'close' does.
  req.socket.once('close', done);
  req.resume();
  return ended;
}
