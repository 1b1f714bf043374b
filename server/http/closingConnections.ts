// A stopping server closes its kept-alive connections as their answers end. Node's server.close() refuses new
// connections and closes the idle ones, but a connection busy at that moment stays open after its answer (which
// still says `Connection: keep-alive`), and a client that sends its next request on it is served on: a client
// writing without pause held the stop for the whole grace period, then lost the answer in flight when the
// connection was cut. Once the stop begins, every answer not yet begun says `Connection: close` (RFC 9112 §9.6:
// a server that intends to close sends "close") and its connection closes after it; one whose head was already
// sent closes as soon as it ends.
import type { Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** The answer a socket is writing (Node keeps it there while the answer is in progress). */
function answerOn(socket: Socket): ServerResponse | undefined {
  return (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage ?? undefined;
}

function closeAfter(res: ServerResponse, server: Server): void {
  if (!res.headersSent) {
    res.shouldKeepAlive = false;
    return;
  }
  // Its head promised keep-alive: the connection is idle once it ends, and closed then.
  res.once('finish', () => setImmediate(() => server.closeIdleConnections()));
}

/** Resolves once every answer of `answers` has closed, or after `limitMs`, whichever comes first. */
function allClosed(answers: Set<ServerResponse>, limitMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, limitMs);
    const check = () => {
      if (answers.size > 0) return;
      clearTimeout(timer);
      resolve();
    };
    for (const res of answers) {
      res.once('close', () => {
        answers.delete(res);
        check();
      });
    }
    check();
  });
}

/**
 * Tracks the server's connections (`secure`: the TLS ones an https server serves on) and returns what to call when
 * it stops, after server.close(). That returns, in turn, what resolves once every answer in progress from the stop
 * on has closed (at most `limitMs` after it is called): an answer the stop cut (a hang, an upload still arriving) is
 * closed with its connection, and its 'close' listeners, the request log's among them, run some turns of the event
 * loop after the server itself has closed; a stop that flushed the log before them lost their lines.
 */
export function closeConnectionsOnStop(server: Server, secure: boolean): () => (limitMs: number) => Promise<void> {
  const open = new Set<Socket>();
  server.on(secure ? 'secureConnection' : 'connection', (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
  // Every TCP connection, TLS or not, as accepted: one that never sent a byte (a browser's preconnect, a pool's warm
  // socket) holds no request, but Node counts it as awaiting one and closeIdleConnections leaves it, so it held the
  // stop for the whole grace period, long enough for `docker stop` to kill the process before its last snapshot.
  // Over http the served connections are the accepted ones: one listener for both (a second 'connection' listener
  // on the server made a $batch of 20 GETs cost twice the CPU in the benchmark, cause not found).
  let accepted = open;
  if (secure) {
    accepted = new Set<Socket>();
    const tcp = accepted;
    server.on('connection', (socket: Socket) => {
      tcp.add(socket);
      socket.once('close', () => tcp.delete(socket));
    });
  }
  return () => {
    for (const socket of accepted) if (socket.bytesRead === 0) socket.destroy();
    const answers = new Set<ServerResponse>();
    // Requests that arrive on a connection still open are answered, each with the connection's close.
    server.prependListener('request', (_req, res: ServerResponse) => {
      res.shouldKeepAlive = false;
      answers.add(res);
    });
    for (const socket of open) {
      const res = answerOn(socket);
      if (res === undefined) continue;
      closeAfter(res, server);
      answers.add(res);
    }
    return (limitMs) => allClosed(answers, limitMs);
  };
}
