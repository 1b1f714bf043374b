import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { LOG_BATCH_CHARS, LineBatch, createLogger, isoTime, lineWriter } from '../../server/logger.js';

function captured(level: 'info' | 'debug' = 'info') {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: createLogger({ level, format: 'json', destination }), lines };
}

/** A line with its time (which differs between two writes) replaced. */
const timeless = (line: string) => line.replace(/"time":"[^"]*"/, '"time":"T"');

describe('createLogger formats', () => {
  /** What a logger of `format` writes for a request line of `fields` and then a line pino writes itself. */
  function written(format: 'auto' | 'json' | 'pretty', isTTY: boolean, fields: object = { status: 200 }, msg = 'GET /x 200 1ms'): string {
    const chunks: string[] = [];
    const destination = Object.assign(
      new Writable({
        write(chunk: Buffer, _enc, done) {
          chunks.push(chunk.toString());
          done();
        },
      }),
      { isTTY },
    );
    const logger = createLogger({ level: 'info', format, destination });
    lineWriter(logger)!('info', fields, msg);
    logger.info({ status: 201 }, 'POST /x 201 1ms');
    return chunks.join('');
  }

  it('writes JSON lines unless asked for people, and colours only for a terminal', () => {
    for (const text of [written('json', true), written('auto', false)]) {
      expect(
        text
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as { status: number }),
      ).toEqual([expect.objectContaining({ status: 200, msg: 'GET /x 200 1ms' }), expect.objectContaining({ status: 201, msg: 'POST /x 201 1ms' })]);
    }
    const plain = written('pretty', false);
    expect(plain).toMatch(/INFO.*GET \/x 200 1ms[\s\S]*INFO.*POST \/x 201 1ms/);
    expect(plain).not.toContain('\u001b[');
    // The time of day to the millisecond, in the machine's zone.
    expect(plain).toMatch(/^\[\d{2}:\d{2}:\d{2}\.\d{3}\] INFO/);
    expect(plain).not.toMatch(/"pid"|hostname/);
    const coloured = written('auto', true);
    expect(coloured).toMatch(/INFO.*GET \/x 200 1ms/);
    expect(coloured).toContain('\u001b[');
  });

  it('shows a request on a terminal as its message and what the message does not say, not each field it already says', () => {
    const fields = { requestId: 'r-1', method: 'GET', path: '/beta/x', query: '$top=1', status: 200, durationMs: 3, clientRequestId: 'c-1' };
    const lines = written('pretty', false, fields, 'GET /beta/x?$top=1 200 3ms').trimEnd().split('\n').slice(0, -1);
    expect(lines).toEqual([expect.stringMatching(/^\[[\d:.]+\] INFO: GET \/beta\/x\?\$top=1 200 3ms$/), '    requestId: "r-1"', '    clientRequestId: "c-1"']);
  });
});

describe('lineWriter', () => {
  const fields = {
    requestId: 'a"b\\c',
    method: 'GET',
    path: '/beta/caf\u00e9/\u{1F600}/\u2028',
    query: undefined,
    status: 200,
    durationMs: 3,
    fault: { source: 'rules[0] (flaky)', effect: 'latency 5ms, status 503' },
    aborted: true,
  };

  it("writes the line pino writes for the same level, fields and message, to the logger's destination", () => {
    const { logger, lines } = captured();
    const write = lineWriter(logger)!;
    for (const level of ['error', 'warn', 'info'] as const) {
      logger[level](fields, 'GET "/x" 200 3ms');
      write(level, fields, 'GET "/x" 200 3ms');
    }
    expect(lines).toHaveLength(6);
    for (let i = 0; i < 6; i += 2) expect(timeless(lines[i + 1]!)).toBe(timeless(lines[i]!));
    expect(JSON.parse(lines[1]!)).toMatchObject({ level: 'error', pid: process.pid, status: 200, fault: fields.fault, msg: 'GET "/x" 200 3ms' });
    expect(JSON.parse(lines[1]!)).not.toHaveProperty('query');
  });

  it('writes a line without fields as pino does', () => {
    const { logger, lines } = captured();
    logger.info({}, 'bare');
    lineWriter(logger)!('info', {}, 'bare');
    expect(timeless(lines[1]!)).toBe(timeless(lines[0]!));
  });

  it("answers nothing for a logger it did not make (a library user's own, a child): the caller logs through it", () => {
    const { logger } = captured();
    expect(lineWriter(pino({ enabled: false }))).toBeUndefined();
    expect(lineWriter(logger.child({ part: 'x' }))).toBeUndefined();
  });
});

describe('isoTime', () => {
  it("is pino's time field, `new Date(now).toISOString()`, whatever the order of the calls", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 8_640_000_000_000 }), { minLength: 1, maxLength: 20 }), (times) => {
        for (const now of times) expect(isoTime(now)).toBe(`,"time":"${new Date(now).toISOString()}"`);
      }),
    );
  });

  it('pads the milliseconds and follows a second boundary both ways', () => {
    const second = Date.UTC(2026, 11, 3, 7, 59, 59);
    for (const now of [second, second + 9, second + 10, second + 99, second + 100, second + 999, second + 1000, second + 999, second - 1]) {
      expect(isoTime(now)).toBe(`,"time":"${new Date(now).toISOString()}"`);
    }
  });

  it('reads the clock when called without a time, as pino calls it', () => {
    const before = Date.now();
    const time = Date.parse(JSON.parse(`{${isoTime().slice(1)}}`).time as string);
    expect(time).toBeGreaterThanOrEqual(before);
    expect(time).toBeLessThanOrEqual(Date.now());
  });
});

describe('LineBatch', () => {
  function sink() {
    const calls: string[] = [];
    return {
      calls,
      write: (text: string) => calls.push(`write ${text}`),
      flush: (cb: (err?: Error | null) => void) => {
        calls.push('flush');
        cb();
      },
      flushSync: () => calls.push('flushSync'),
    };
  }

  it('hands lines on together, in order, once they reach the batch size', () => {
    const out = sink();
    const batch = new LineBatch(out, 10);
    batch.write('abc\n');
    batch.write('def\n');
    expect(out.calls).toEqual([]);
    batch.write('g\n');
    // Exactly the batch size: handed on.
    expect(out.calls).toEqual(['write abc\ndef\ng\n']);
    batch.write('0123456789\n');
    expect(out.calls).toEqual(['write abc\ndef\ng\n', 'write 0123456789\n']);
  });

  it('writes what it holds on flush, then has the sink write what waits (the timer has no callback), then calls back', () => {
    const out = sink();
    const batch = new LineBatch(out, 100);
    let called = 0;
    batch.flush(() => (called += 1));
    expect(out.calls).toEqual(['flush']);
    batch.write('one\n');
    batch.write('two\n');
    batch.flush(() => (called += 1));
    // The timer's flush: nothing held, but a stalled pipe's backlog is tried again.
    batch.flush();
    expect(out.calls).toEqual(['flush', 'write one\ntwo\n', 'flush', 'flush']);
    expect(called).toBe(2);
  });

  it('writes what it holds and flushes the sink synchronously on flushSync (at exit)', () => {
    const out = sink();
    const batch = new LineBatch(out, 100);
    batch.write('last\n');
    batch.flushSync();
    expect(out.calls).toEqual(['write last\n', 'flushSync']);
  });

  it('gathers about 4 KB by default', () => {
    const out = sink();
    const batch = new LineBatch(out);
    const line = `${'x'.repeat(99)}\n`;
    for (let i = 0; i < LOG_BATCH_CHARS / 100 - 1; i += 1) batch.write(line);
    expect(out.calls).toEqual([]);
    batch.write(line);
    batch.write(line);
    expect(out.calls).toHaveLength(1);
  });
});
