// The drain of a body refused as too large: it reads and drops the rest within its bounds, closes the connection
// past them, and leaves nothing behind however it ends, the client closing the connection included (Node tells the
// request nothing then: its answer is sent).
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { type BodyStream, discardBody } from '../../server/http/bodyDrain.js';

const LIMITS = { maxBytes: 100, maxMs: 5000 };

class FakeSocket extends EventEmitter {
  destroyed = 0;
  destroy(): void {
    this.destroyed += 1;
  }
}

class FakeBody extends EventEmitter implements BodyStream {
  resumed = false;
  constructor(readonly socket = new FakeSocket()) {
    super();
  }
  resume(): this {
    this.resumed = true;
    return this;
  }
}

/** What a drain leaves on the request and its connection. */
const leftOver = (body: FakeBody) => ({
  timers: jest.getTimerCount(),
  dataListeners: body.listenerCount('data'),
  socketCloseListeners: body.socket.listenerCount('close'),
});
const NOTHING = { timers: 0, dataListeners: 0, socketCloseListeners: 0 };

/** A request whose body is being drained, on jest's fake timers. */
function draining(socket?: FakeSocket): FakeBody {
  jest.useFakeTimers();
  const body = new FakeBody(socket);
  discardBody(body, LIMITS);
  return body;
}

describe('discardBody', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('reads the rest of the body and drops it; at its end nothing is left and the connection stays open', () => {
    const body = draining();
    expect(body.resumed).toBe(true);
    expect(leftOver(body)).toEqual({ timers: 1, dataListeners: 1, socketCloseListeners: 1 });
    body.emit('data', Buffer.alloc(60));
    body.emit('data', Buffer.alloc(40));
    body.emit('end');
    expect(leftOver(body)).toEqual(NOTHING);
    jest.advanceTimersByTime(LIMITS.maxMs * 2);
    expect(body.socket.destroyed).toBe(0);
  });

  it('closes the connection once more than maxBytes came', () => {
    const body = draining();
    body.emit('data', Buffer.alloc(100));
    expect(body.socket.destroyed).toBe(0);
    body.emit('data', Buffer.alloc(1));
    expect(body.socket.destroyed).toBe(1);
    expect(leftOver(body)).toEqual(NOTHING);
  });

  it('closes the connection when the rest has not come within maxMs', () => {
    const body = draining();
    jest.advanceTimersByTime(LIMITS.maxMs - 1);
    expect(body.socket.destroyed).toBe(0);
    jest.advanceTimersByTime(1);
    expect(body.socket.destroyed).toBe(1);
    expect(leftOver(body)).toEqual(NOTHING);
  });

  it.each(['close', 'error'] as const)("ends when the request emits '%s'", (event) => {
    const body = draining();
    body.emit(event);
    expect(leftOver(body)).toEqual(NOTHING);
  });

  it('ends when the client closes the connection, though the request says nothing: no timer, no listener is left', () => {
    const body = draining();
    body.socket.emit('close');
    expect(leftOver(body)).toEqual(NOTHING);
    jest.advanceTimersByTime(LIMITS.maxMs * 2);
    expect(body.socket.destroyed).toBe(0);
  });

  it('leaves no listener on a connection that serves more requests, whatever number of bodies it drained', () => {
    const connection = new FakeSocket();
    for (let i = 0; i < 20; i += 1) {
      const body = draining(connection);
      body.emit('end');
      expect(leftOver(body)).toEqual(NOTHING);
    }
  });

  it('never keeps the process alive while it waits', () => {
    const body = new FakeBody();
    const before = process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    discardBody(body, LIMITS);
    expect(process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout')).toHaveLength(before);
    body.emit('end');
  });
});
