// A raw HTTP/1.1 connection for tests that send what a client library would not (a body in pieces, a stall, a
// pipelined request after a refused body) and read each answer as it comes.
import { type Socket, connect } from 'node:net';

/** A raw connection that collects what the server sends; `answer(n)` waits for the n-th complete response. */
export function rawClient(port: number) {
  const socket: Socket = connect(port, '127.0.0.1');
  let text = '';
  let closed = false;
  const waiters: (() => void)[] = [];
  const wake = () => {
    for (const waiter of waiters.splice(0)) waiter();
  };
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    text += chunk;
    wake();
  });
  socket.on('close', () => {
    closed = true;
    wake();
  });
  socket.on('error', () => undefined);
  const responses = () =>
    text
      .split(/(?=HTTP\/1\.1 \d{3} )/)
      .filter((r) => /\r\n\r\n/.test(r) && r.split('\r\n\r\n')[1]!.length >= Number(/content-length: (\d+)/i.exec(r)?.[1] ?? 0));
  const until = (done: () => boolean) =>
    new Promise<void>((resolve) => {
      const check = () => (done() ? resolve() : waiters.push(check));
      check();
    });
  return {
    socket,
    async answer(n: number): Promise<string> {
      await until(() => responses().length >= n || closed);
      return responses()[n - 1] ?? '';
    },
    closed: () => until(() => closed),
    isClosed: () => closed,
  };
}
