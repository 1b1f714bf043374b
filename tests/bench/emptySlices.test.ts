// A slice of load shorter than a second (the smoke preset's) that ends before any answer is taken again, twice as
// long each time, a few times at most; a longer one, or one that got answers or errors, stands as measured.
import { afterEach, describe, expect, it } from '@jest/globals';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sliceWithAnswers } from '../../bench/compare.js';
import type { RunningServer } from '../../bench/servers.js';

let server: Server | undefined;
const held = new Set<NodeJS.Timeout>();
afterEach(async () => {
  for (const timer of held) clearTimeout(timer);
  held.clear();
  const open = server;
  server = undefined;
  if (open === undefined) return;
  open.closeAllConnections();
  await new Promise((resolve) => open.close(resolve));
});

/** A server that holds every request until `stalledMs` after it started, then answers at once. */
async function stalling(stalledMs: number): Promise<RunningServer> {
  const started = Date.now();
  server = createServer((_req, res) => {
    const timer = setTimeout(
      () => {
        held.delete(timer);
        res.end('{}');
      },
      Math.max(0, started + stalledMs - Date.now()),
    );
    held.add(timer);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return runningAt(server);
}

/**
 * A server that holds every request of the first `slices` slices, for as long as their connections stay open, and
 * answers every later one at once: slices with no answer, then one with answers, whatever the machine's load does to
 * the timing (a stall timed on the clock ran into the next slice on a busy machine).
 */
async function stallingFirstSlices(connections: number, slices = 1): Promise<RunningServer> {
  let closed = 0;
  server = createServer((_req, res) => {
    if (closed >= connections * slices) res.end('{}');
  });
  server.on('connection', (socket) => socket.once('close', () => (closed += 1)));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return runningAt(server);
}

function runningAt(listening: Server): RunningServer {
  const url = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
  return { name: 'express', url, pid: process.pid, startupMs: 0, rssBytes: () => null, peakRssBytes: () => null, cpuMs: () => null, stop: async () => {} };
}

const requests = [{ method: 'GET' as const, path: '/' }];

/** One slice of GETs on `target`: what it measured, and what the harness logged while taking it. */
async function sliceOf(target: RunningServer, durationS: number, connections = 2) {
  const log: string[] = [];
  const { measurement } = await sliceWithAnswers(target, requests, { connections, durationS }, (line) => log.push(line));
  return { answered: measurement.requests, errors: measurement.errors, log };
}

describe('sliceWithAnswers', () => {
  it('keeps a short slice that got answers, taken once', async () => {
    const target = await stalling(0);
    const { answered, errors, log } = await sliceOf(target, 0.2);
    expect([answered > 0, errors]).toEqual([true, 0]);
    expect(log).toEqual([]);
  });

  it('takes a short slice with no answer again, until one answers', async () => {
    const target = await stallingFirstSlices(2);
    const { answered, errors, log } = await sliceOf(target, 0.2);
    expect([answered > 0, errors]).toEqual([true, 0]);
    expect(log[0]).toBe('express: no answer within a 0.2 s slice; taking it again');
    expect(log.length).toBeGreaterThanOrEqual(1);
    expect(log.length).toBeLessThanOrEqual(2);
  });

  it('takes it again twice as long each time, until a slice of a second stands: a server that answers nothing still reads as one', async () => {
    const target = await stalling(60_000);
    const { answered, errors, log } = await sliceOf(target, 0.15);
    expect([answered, errors]).toEqual([0, 0]);
    expect(log).toEqual(['0.15', '0.3', '0.6'].map((s) => `express: no answer within a ${s} s slice; taking it again`));
  });

  it('gives up after five tries of slices shorter than a second', async () => {
    const target = await stalling(60_000);
    const { answered, errors, log } = await sliceOf(target, 0.01);
    expect([answered, errors]).toEqual([0, 0]);
    expect(log).toEqual(['0.01', '0.02', '0.04', '0.08'].map((s) => `express: no answer within a ${s} s slice; taking it again`));
  });

  it('answers after a stall longer than three short slices: the row has its answers', async () => {
    // 0.1, 0.2 and 0.4 s slices with no answer: the fourth, of 0.8 s, gets answers (or, when the third's connections
    // close after the fourth's requests came, the fifth, of 1.6 s, which stands however it ends).
    const target = await stallingFirstSlices(2, 3);
    const { answered, errors, log } = await sliceOf(target, 0.1);
    expect([answered > 0, errors]).toEqual([true, 0]);
    expect(log.slice(0, 3)).toEqual(['0.1', '0.2', '0.4'].map((s) => `express: no answer within a ${s} s slice; taking it again`));
    expect(log.length).toBeLessThanOrEqual(4);
  });

  it('keeps a short slice whose requests failed: errors are a finding, not a stall', async () => {
    // A port nothing listens on any more: every connection is refused.
    const gone = createServer();
    await new Promise<void>((resolve) => gone.listen(0, '127.0.0.1', resolve));
    const target = runningAt(gone);
    await new Promise((resolve) => gone.close(resolve));
    const { answered, errors, log } = await sliceOf(target, 0.2);
    expect([answered, errors > 0]).toEqual([0, true]);
    expect(log).toEqual([]);
  });

  it('keeps a slice of a second or more as measured, answers or not', async () => {
    const target = await stalling(60_000);
    const { answered, errors, log } = await sliceOf(target, 1, 1);
    expect([answered, errors]).toEqual([0, 0]);
    expect(log).toEqual([]);
  });
});
