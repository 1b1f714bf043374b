// Fault injection for Graph requests: the throttling profile first, then the request header or the
// first rule that fires. Runs after auth and before body parsing; /_emulator/* is never faulted.
import type { NextFunction, Request, Response } from 'express';
import { setTimeout as sleep } from 'node:timers/promises';
import { GraphError } from '../graphErrors.js';
import { deferFault } from './afterPhase.js';
import { renderFault, retryAfterOf, sampleLatency } from './effects.js';
import type { ChosenFault, FaultEngine } from './engine.js';
import { FaultRuleError, type FaultRule } from './ruleSchema.js';
import { usageHeader } from './throttle.js';

export interface AppliedFault {
  /** `rules[2] (name)`, `X-Emulator-Fault` or `throttle`. */
  source: string;
  /** What happened, e.g. `latency 312ms, status 503`. */
  effect: string;
}

const applied = new WeakMap<Request, AppliedFault>();

/** The fault applied to a request, for request logs; undefined when it ran clean. */
export function appliedFault(req: Request): AppliedFault | undefined {
  return applied.get(req);
}

function describeEffect(failure: FaultRule | undefined, delayMs: number): string {
  const parts = [
    delayMs > 0 ? `latency ${delayMs}ms` : '',
    failure?.status !== undefined ? `status ${failure.status}` : '',
    failure?.drop !== undefined ? `drop ${failure.drop}` : '',
    failure?.phase === 'after' ? 'after execution' : '',
  ];
  return parts.filter(Boolean).join(', ');
}

/** Ends when the delay is over (or cut short by a stop, so shutdown drains); false when the client left. */
async function delay(ms: number, res: Response, stopping: AbortSignal): Promise<boolean> {
  const left = new AbortController();
  const onClose = () => left.abort();
  res.once('close', onClose);
  try {
    await sleep(ms, undefined, { signal: AbortSignal.any([left.signal, stopping]) });
    return true;
  } catch {
    return !left.signal.aborted;
  } finally {
    res.removeListener('close', onClose);
  }
}

export function faultInjection(engine: FaultEngine) {
  // Synchronous until a fault is chosen: a clean request (the common case) costs no promise.
  return function faults(req: Request, res: Response, next: NextFunction): void | Promise<void> {
    if (req.path.startsWith('/_emulator/')) return next();
    throttle(engine, req, res);
    const wait = engine.retryAfterLeft(req);
    if (wait !== undefined) {
      applied.set(req, { source: 'Retry-After', effect: `status 429, Retry-After ${wait}` });
      throw GraphError.of('tooManyRequests', undefined, { 'Retry-After': String(wait) });
    }

    let chosen: ChosenFault | undefined;
    try {
      chosen = engine.choose(req);
    } catch (err) {
      if (err instanceof FaultRuleError) throw GraphError.of('badRequest', err.message);
      throw err;
    }
    if (chosen === undefined) return next();
    return applyFault(engine, chosen, req, res, next);
  };
}

async function applyFault(engine: FaultEngine, { rules, source }: ChosenFault, req: Request, res: Response, next: NextFunction): Promise<void> {
  const delayMs = rules.reduce((sum, rule) => sum + sampleLatency(rule.latency, engine.randomSource), 0);
  const failure = rules.find((rule) => rule.status !== undefined || rule.drop !== undefined);
  applied.set(req, { source, effect: describeEffect(failure, delayMs) });
  if (delayMs > 0 && !(await delay(delayMs, res, engine.signal))) return;

  if (failure === undefined) return next();
  const render = (answer: Response) => {
    if (failure.status === 429) engine.noteRetryAfter(req, retryAfterOf(failure) ?? 0);
    renderFault(failure, req, answer, engine.hang.bind(engine));
  };
  if (failure.phase === 'after') {
    deferFault(req, render);
    return next();
  }
  render(res);
}

function throttle(engine: FaultEngine, req: Request, res: Response): void {
  const outcome = engine.throttle(req);
  if (outcome === undefined) return;
  const { result, sendHeaders, scope } = outcome;
  if (sendHeaders) {
    res.setHeader('x-ms-resource-unit', '1');
    const usage = usageHeader(result.usage);
    if (usage !== undefined) res.setHeader('x-ms-throttle-limit-percentage', usage);
  }
  if (!result.throttled) return;
  applied.set(req, { source: 'throttle', effect: `status 429, Retry-After ${result.retryAfterSeconds}` });
  const headers: Record<string, string> = { 'Retry-After': String(result.retryAfterSeconds) };
  if (sendHeaders) {
    headers['x-ms-throttle-scope'] = scope;
    headers['x-ms-throttle-information'] = 'ResourceUnitLimitExceeded';
  }
  throw GraphError.of('tooManyRequests', undefined, headers);
}
