// The seed command's standard output: text of any length, written as the reader takes it, and a reader gone is
// the write's error rather than an unhandled 'error' event.
import { describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { writePieces } from '../../server/bin/output.js';

/** A reader that counts what it gets, optionally failing each write with `error`. */
function reader(error?: NodeJS.ErrnoException) {
  const got = { chars: 0, writes: 0, head: '', tail: '' };
  const stream = new Writable({
    decodeStrings: false,
    write(chunk: string, _encoding, done) {
      got.writes += 1;
      got.chars += chunk.length;
      if (got.head === '') got.head = chunk.slice(0, 8);
      got.tail = chunk.slice(-8);
      setImmediate(() => done(error));
    },
  });
  return { stream, got };
}

describe('writePieces', () => {
  it('writes more text than one string can hold, in order, a megabyte or so at a time', async () => {
    // 9,000 pieces of 64 KiB: 590 million characters, past V8's longest string (about 537 million).
    const piece = 'x'.repeat(64 * 1024 - 1);
    const pieces = function* () {
      yield '{start';
      for (let i = 0; i < 9000; i += 1) yield `${piece}\n`;
      yield 'end}\n';
    };
    const { stream, got } = reader();
    await writePieces(stream, pieces());
    expect(got.chars).toBe(6 + 9000 * 64 * 1024 + 5);
    expect(got.chars).toBeGreaterThan(2 ** 29);
    expect(got.head).toBe('{startxx');
    expect(got.tail).toBe('xx\nend}\n');
    expect(got.writes).toBeLessThan(700);
  });

  it('rejects with the error of a failed write, and leaves no error for the stream to throw', async () => {
    const epipe = Object.assign(new Error('write EPIPE'), { code: 'EPIPE', syscall: 'write' });
    const { stream } = reader(epipe);
    await expect(writePieces(stream, ['x'.repeat(2 << 20), 'y'])).rejects.toBe(epipe);
    // The stream's own 'error' event comes after the write's callback. Emitted with no listener, it would be an
    // uncaught exception, which jest reports as this test's failure (a listener on the test's `process`, jest's copy
    // of the worker's, would never hear it).
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(stream.errored).toBe(epipe);
  });
});
