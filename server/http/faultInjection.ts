// Fault injection for Graph requests: the throttling profile first, then the request header or the
// first rule that fires. Runs after auth and before body parsing; /_emulator/* is never faulted.
import type { NextFunction, Request, Response } from 'express';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { MAX_DELAY_MS, renderFault, retryAfterOf, sampleLatency } from '../faults/effects.js';
import type { ChosenFault, FaultEngine, FaultRequest } from '../faults/engine.js';
import type { FaultRule } from '../faults/ruleSchema.js';
import { FAULT_HEADER } from '../faults/header.js';
import { usageHeader } from '../faults/throttle.js';
import { GraphError } from '../graphErrors.js';
import { discardBody } from './bodyDrain.js';
import { contextOf } from './context.js';
import { noteSocketAnswer } from './clientErrors.js';
import { graphHeaderPairs } from './graphHeaders.js';

/** The request as the fault engine sees it: plain facts from the context, no Express. */
function factsOf(req: Request): FaultRequest {
  const { token, identity, tenant, batchItem } = contextOf(req);
  const at = req.originalUrl.indexOf('?');
  const query = at === -1 ? undefined : req.originalUrl.slice(at + 1);
  // A HEAD is the GET it is served as (http/dispatch.ts), without the body (RFC 9110 §9.3.2,
  // https://www.rfc-editor.org/rfc/rfc9110#section-9.3.2): a rule for GET fails it, and a 429 on one is a 429 on both.
  const method = req.method === 'HEAD' ? 'GET' : req.method;
  return { method, path: req.path, query, tenant, token, claims: identity.claims, header: (name) => req.get(name), batch: batchItem?.batchKey };
}

/** What the fault did; `delayMs` undefined when no rule that fired (nor the header) has a latency. */
function describeEffect(failure: FaultRule | undefined, delayMs: number | undefined): string {
  const parts = [
    // A latency that came to 0 ms (a fixed 0, a range's draw) is named too: the rule fired, and its effect is not blank.
    delayMs !== undefined ? `latency ${delayMs}ms` : '',
    failure?.status !== undefined ? `status ${failure.status}` : '',
    failure?.drop !== undefined ? `drop ${failure.drop}` : '',
    failure?.phase === 'after' ? 'after execution' : '',
  ];
  return parts.filter(Boolean).join(', ');
}

/** Ends when the delay is over (or cut short by a stop, so shutdown drains); false when the client left. */
async function delay(ms: number, res: Response, stopping: AbortSignal): Promise<boolean> {
  const cut = new AbortController();
  let clientLeft = false;
  const onClose = () => {
    clientLeft = true;
    cut.abort();
  };
  const onStop = () => cut.abort();
  res.once('close', onClose);
  // A listener of its own on the stop's signal, removed when the delay ends, rather than AbortSignal.any: on Node
  // 20 a signal combined with one that lives as long as the process is never freed (nodejs/node#55351), about
  // 60 bytes of heap for every delayed request.
  stopping.addEventListener('abort', onStop, { once: true });
  if (stopping.aborted) cut.abort();
  const until = performance.now() + ms;
  try {
    // A timer counts from the event loop's cached time, which may lag the clock: it can fire a fraction of a
    // millisecond before `ms` have passed. The rest is waited, so a rule's latency is never shorter than it says.
    for (let rest = ms; rest > 0; rest = until - performance.now()) {
      await sleep(Math.ceil(rest), undefined, { signal: cut.signal });
    }
    return true;
  } catch {
    return !clientLeft;
  } finally {
    res.removeListener('close', onClose);
    stopping.removeEventListener('abort', onStop);
  }
}

export function faultInjection(engine: FaultEngine) {
  // Synchronous until a fault is chosen: a clean request (the common case) costs no promise.
  // Mounted among the Graph steps only (app.ts): the admin API never reaches it.
  return function faults(req: Request, res: Response, next: NextFunction): void | Promise<void> {
    const facts = factsOf(req);
    throttle(engine, facts, req, res);
    // A malformed X-Emulator-Fault header throws a FaultRuleError: a 400 naming the key (graphErrors.ts).
    const fromHeader = engine.headerFault(facts);
    // The header's fault is for that one request: it wins over a pending Retry-After, and leaves none behind.
    const wait = fromHeader === undefined ? engine.retryAfterLeft(facts) : undefined;
    if (wait !== undefined) {
      contextOf(req).fault = { source: 'Retry-After', effect: `status 429, Retry-After ${wait}` };
      throw GraphError.of('tooManyRequests', undefined, { 'Retry-After': String(wait) });
    }
    const chosen = fromHeader ?? engine.chooseRule(facts);
    if (chosen === undefined) return next();
    return applyFault(engine, chosen, facts, req, res, next);
  };
}

async function applyFault(
  engine: FaultEngine,
  { rules, source, latencySource, release }: ChosenFault,
  facts: FaultRequest,
  req: Request,
  res: Response,
  next: NextFunction,
): Promise<void> {
  const delayMs = Math.min(
    MAX_DELAY_MS,
    rules.reduce((sum, rule) => sum + sampleLatency(rule.latency, engine.randomFor(facts.tenant, source === FAULT_HEADER ? 'header' : 'rules')), 0),
  );
  const failure = rules.find((rule) => rule.status !== undefined || rule.drop !== undefined);
  const delayed = rules.some((rule) => rule.latency !== undefined);
  const context = contextOf(req);
  context.fault = { source, effect: describeEffect(failure, delayed ? delayMs : undefined) };
  if (delayMs > 0 && !(await delay(delayMs, res, engine.signal))) return;

  if (failure === undefined) return next();
  const render = (answer: Response) => {
    if (failure.status === 429 && source !== FAULT_HEADER) engine.noteRetryAfter(facts, retryAfterOf(failure) ?? 0);
    // A malformed answer is written on the socket: Graph's headers go with it there.
    const written = renderFault(failure, answer, engine.hang.bind(engine), failure.drop === 'malformed' ? graphHeaderPairs(answer) : []);
    // A status line the client receives though the answer never completes: its log line and journal entry show it, and
    // a $batch item's is written on its batch's connection, in place of the batch's answer: the batch's show it too.
    if (written !== undefined) {
      noteSocketAnswer(answer, written);
      const batch = contextOf(answer.req).batchItem?.batchResponse;
      if (batch !== undefined) noteSocketAnswer(batch, written);
    }
    // `empty` and `malformed` close the connection's sending side only. The rest of a body still on its way is read
    // and dropped (within the drain's bounds), as after a refused body: a client that sends the whole body before it
    // reads (curl, most non-Node clients) would otherwise wait on a full TCP window until its own timeout instead of
    // seeing the connection close.
    // The journal keeps that body's start as it keeps one refused unread (journalCapture.ts).
    if (failure.drop === 'empty' || failure.drop === 'malformed') {
      const kept = contextOf(answer.req).journal?.keepUnread();
      if (kept === undefined && !answer.req.complete) void discardBody(answer.req);
    }
  };
  if (failure.phase === 'after') {
    // The success senders (successAnswers.ts) answer with it once the handler has committed. A request that fails
    // on its own answers its own error: then the fault was not applied, its rule keeps its turn (`times`), and the
    // journal (whose 'close' listener runs after this one) shows no status fault.
    context.deferredFault = render;
    res.prependOnceListener('close', () => {
      if (context.deferredFault !== render) return;
      context.deferredFault = undefined;
      release();
      // Named by the rules whose latency it took, not by the failure that was not applied.
      context.fault = delayed ? { source: latencySource, effect: describeEffect(undefined, delayMs) } : undefined;
    });
    return next();
  }
  render(res);
}

function throttle(engine: FaultEngine, facts: FaultRequest, req: Request, res: Response): void {
  const outcome = engine.throttle(facts);
  if (outcome === undefined) return;
  const { result, sendHeaders, scope } = outcome;
  if (sendHeaders) {
    res.setHeader('x-ms-resource-unit', '1');
    const usage = usageHeader(result.usage);
    if (usage !== undefined) res.setHeader('x-ms-throttle-limit-percentage', usage);
  }
  if (!result.throttled) return;
  contextOf(req).fault = { source: 'throttle', effect: `status 429, Retry-After ${result.retryAfterSeconds}` };
  const headers: Record<string, string> = { 'Retry-After': String(result.retryAfterSeconds) };
  if (sendHeaders) {
    headers['x-ms-throttle-scope'] = scope;
    headers['x-ms-throttle-information'] = 'ResourceUnitLimitExceeded';
  }
  throw GraphError.of('tooManyRequests', undefined, headers);
}
