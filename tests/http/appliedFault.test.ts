import { describe, expect, it } from '@jest/globals';
import express, { type Request } from 'express';
import request from 'supertest';
import { FaultEngine } from '../../server/faults/engine.js';
import { type AppliedFault, contextOf } from '../../server/http/context.js';
import { faultInjection } from '../../server/http/faultInjection.js';
import { errorHandler } from '../../server/http/errorHandler.js';
import { graphHeaders, installGraphHeaders } from '../../server/http/graphHeaders.js';

/** The fault middleware alone, with a log line per finished request as a request logger would write it. */
function loggedApp(faults: FaultEngine) {
  const log: Array<{ path: string; status: number; fault: AppliedFault | undefined }> = [];
  const app = express();
  installGraphHeaders(app);
  app.use(graphHeaders);
  app.use((req: Request, res, next) => {
    res.on('finish', () => log.push({ path: req.path, status: res.statusCode, fault: contextOf(req).fault }));
    next();
  });
  app.use(faultInjection(faults));
  app.get('/beta/ok', (_req, res) => {
    res.status(200).json({ ok: true });
  });
  app.use(errorHandler(() => undefined));
  return { app, log };
}

describe('the request context records the applied fault, for request logs', () => {
  it('names the rule or header and what it did; nothing for a clean request', async () => {
    const faults = new FaultEngine({
      rules: [
        { name: 'slow', latency: 5, times: 1 },
        { status: 503, retryAfter: 1, after: 2, times: 1 },
      ],
    });
    const { app, log } = loggedApp(faults);
    await request(app).get('/beta/ok');
    await request(app).get('/beta/ok');
    const failed = await request(app).get('/beta/ok');
    expect(failed.status).toBe(503);
    expect(failed.body.error.code).toBe('ServiceUnavailable');
    await request(app).get('/beta/ok').set('X-Emulator-Fault', 'status=504; phase=after');
    expect(log).toEqual([
      { path: '/beta/ok', status: 200, fault: { source: 'rules[0] (slow)', effect: 'latency 5ms' } },
      { path: '/beta/ok', status: 200, fault: undefined },
      { path: '/beta/ok', status: 503, fault: { source: 'rules[1]', effect: 'status 503' } },
      // res.json is not one of the Graph success senders, so this plain route answers as usual.
      { path: '/beta/ok', status: 200, fault: { source: 'X-Emulator-Fault', effect: 'status 504, after execution' } },
    ]);
  });

  it('names every rule that fired: latency rules, then the failure', async () => {
    const faults = new FaultEngine({
      rules: [
        { name: 'slow', method: 'GET', latency: 20 },
        { status: 504, latency: 10 },
      ],
    });
    const { app, log } = loggedApp(faults);
    const started = performance.now();
    const res = await request(app).get('/beta/ok');
    expect(performance.now() - started).toBeGreaterThanOrEqual(28);
    expect(res.status).toBe(504);
    expect(res.body.error.code).toBe('GatewayTimeout');
    expect(log).toEqual([{ path: '/beta/ok', status: 504, fault: { source: 'rules[0] (slow), rules[1]', effect: 'latency 30ms, status 504' } }]);
  });

  it('names the throttling profile', async () => {
    const { app, log } = loggedApp(new FaultEngine({ throttle: { capacity: 1, refillPerSecond: 0.5 }, clock: () => 0 }));
    await request(app).get('/beta/ok');
    const limited = await request(app).get('/beta/ok');
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('2');
    expect(log.map((l) => l.fault)).toEqual([undefined, { source: 'throttle', effect: 'status 429, Retry-After 2' }]);
  });
});
