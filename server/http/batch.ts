// JSON batching: POST /beta/$batch and /v1.0/$batch (https://learn.microsoft.com/graph/json-batching). Each item
// runs as a request of its own through the same steps as one on the wire (app.ts hands them in): the batch's
// token, then permissions, faults and throttling (rules match the item's method and path; a 429 carries its own
// Retry-After), body checks and the routing table, and is answered with its own status, headers and body.
// Items run in waves: those whose dependencies have answered start together, in request order (so fault rules
// and their seeded randomness see them in a fixed order); one whose dependency failed is answered 424 without
// running. The batch request itself is not faulted or throttled (its items are) and answers 200 once every item
// has, listing them in request order. Its connection is theirs: a dropped connection or a hang fault on an item
// takes the whole batch with it.
import type { Express, NextFunction, Request, Response } from 'express';
import { GraphError } from '../graphErrors.js';
import { newExpansionBudget } from '../expansionBudget.js';
import { endAnswer } from '../graphWire.js';
import { localAuthority } from '../listener.js';
import { memoize } from '../memo.js';
import { unreservedDecoded } from '../urlText.js';
import { batchNameError } from './batchNames.js';
import { type BatchItemRequest, BATCH_BODY_LIMIT, readBatchPayload } from './batchPayload.js';
import { contextOf } from './context.js';
import { GRAPH_JSON_TYPES, jsonBody } from './jsonBody.js';
import { type CapturedAnswer, syntheticExchange } from './syntheticExchange.js';

// `$batch` as sent, or with an unreserved character escaped (`/%62eta/$batch`); `%24batch` is not it: `$` is a
// reserved character, and its escape is data, not `$` (RFC 3986 §2.2, https://www.rfc-editor.org/rfc/rfc3986#section-2.2),
// as for every other segment ($metadata, $ref, $count). Chosen: not documented by Graph.
const BATCH_PATH = /^\/(beta|v1\.0)\/\$batch\/?$/i;
// Headers about the batch's own exchange, sent once on it rather than on every item.
const BATCH_LEVEL_HEADERS = new Set(['request-id', 'client-request-id', 'strict-transport-security', 'x-ms-ags-diagnostic']);

interface ItemResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  /** The item's JSON body as its sender wrote it, spliced into the batch's answer unparsed. */
  json?: string;
  /** Any other body: text, or base64url. */
  body?: string;
}

interface BatchOptions {
  /** The app the items' requests and responses belong to. */
  app: () => Express;
  /** Runs an item's request through the Graph steps until it is answered. */
  runItem: (req: Request, res: Response) => void;
}

/** Before auth: an item whose dependency failed is answered 424 Failed Dependency, and journaled as such. */
export function failedDependencyGate(req: Request, _res: Response, next: NextFunction): void {
  const failed = contextOf(req).batchItem?.failedDependency;
  if (failed !== undefined) throw GraphError.of('failedDependency', `The request depends on request '${failed}', which failed.`);
  next();
}

// An item's answer's header names and content types are the emulator's own, a handful of strings met again in
// every item: each is read once.
const lowerCaseOf = memoize((name) => name.toLowerCase(), 64);
const mediaTypeOf = memoize((contentType) => contentType.split(';')[0]!.trim().toLowerCase(), 64);

/** An item's answer as OData's JSON batch format carries it: a JSON body as JSON, text as a string, anything else base64url. */
function itemResponse(id: string, answer: CapturedAnswer): ItemResponse {
  const headers: Record<string, string> = {};
  let type = '';
  for (const [name, value] of answer.headers) {
    const lower = lowerCaseOf(name);
    if (lower === 'content-type') type = mediaTypeOf(value);
    if (!BATCH_LEVEL_HEADERS.has(lower)) headers[name] = value;
  }
  const response: ItemResponse = { id, status: answer.status, headers };
  if (answer.body.length === 0) return response;
  const text = typeof answer.body === 'string' ? answer.body : answer.body.toString('utf8');
  if (type === 'application/json' || type.endsWith('+json')) response.json = text;
  else response.body = type.startsWith('text/') ? text : Buffer.from(answer.body).toString('base64url');
  return response;
}

/**
 * The most characters a batch's answer holds: its items' answers are each a list page or an entity, bounded by count
 * but not by size (a record may hold a 1 MB string), and twenty of them joined could pass V8's longest string.
 * Chosen: Graph documents no limit; 64 Mi characters is some 64 MB of JSON.
 */
export const BATCH_ANSWER_LIMIT = 64 * 1024 * 1024;

/** The batch's answer, written once: each item's JSON body goes in as the text its sender made (valid JSON by construction). */
function batchAnswer(responses: readonly ItemResponse[]): string {
  let size = 0;
  for (const { json, body } of responses) size += (json?.length ?? 0) + (typeof body === 'string' ? body.length : 0);
  if (size > BATCH_ANSWER_LIMIT) {
    throw GraphError.of(
      'badRequest',
      `The batch's answers together exceed ${BATCH_ANSWER_LIMIT} characters, the most one answer holds: ask for fewer or smaller records in one batch.`,
    );
  }
  const items = responses.map(({ id, status, headers, json, body }) => {
    // What JSON.stringify({ id, status, headers }) writes, left open for the body.
    const head = `{"id":${JSON.stringify(id)},"status":${status},"headers":${JSON.stringify(headers)}`;
    if (json !== undefined) return `${head},"body":${json}}`;
    return body === undefined ? `${head}}` : `${head},"body":${JSON.stringify(body)}}`;
  });
  return `{"responses":[${items.join(',')}]}`;
}

async function runBatch(req: Request, res: Response, items: readonly BatchItemRequest[], options: BatchOptions): Promise<ItemResponse[]> {
  const byId = new Map(items.map((item) => [item.id.toLowerCase(), item]));
  // A small object of its own, not the request: the Retry-After ledger may keep it for as long as a wait lasts.
  const batchKey = {};
  const expansionBudget = newExpansionBudget(true);
  const answers = new Map<BatchItemRequest, CapturedAnswer>();
  const running = new Set<() => void>();
  const onGone = () => {
    for (const abandon of running) abandon();
  };
  // Before the journal's own listener: the items it records with the batch are closed by then.
  res.prependOnceListener('close', onGone);
  // What every item takes from the batch request, read once.
  // A batch without Host (HTTP/1.0) gives its items the host a direct request's URLs name: where it arrived.
  const host = req.headers.host ?? localAuthority(req.socket);
  const authorization = req.headers.authorization;
  const clientRequestId = req.get('client-request-id');
  const batchContext = contextOf(req);
  const journal = batchContext.journal;
  const ran: Request[] = [];
  batchContext.batchRequests = ran;
  const app = options.app();
  // Not an async function: one promise per item (its answer's) rather than two.
  const run = (item: BatchItemRequest): Promise<void> => {
    const failed = item.dependsOn.length === 0 ? undefined : item.dependsOn.find((id) => (answers.get(byId.get(id.toLowerCase())!)?.status ?? 0) >= 400);
    const headers: Record<string, string> = { ...item.headers, host };
    if (authorization !== undefined) headers['authorization'] = authorization;
    if (headers['client-request-id'] === undefined && clientRequestId !== undefined) headers['client-request-id'] = clientRequestId;
    const exchange = syntheticExchange(app, req.socket, { method: item.method, url: item.url, headers, body: item.body });
    const context = contextOf(exchange.req);
    context.batchItem = { id: item.id, batch: journal, failedDependency: failed, batchKey, expansionBudget, body: item.body, batchResponse: res };
    running.add(exchange.abandon);
    ran.push(exchange.req);
    options.runItem(exchange.req, exchange.res);
    return exchange.answered.then((answer) => {
      answers.set(item, answer);
      running.delete(exchange.abandon);
    });
  };
  try {
    let waiting = [...items];
    while (waiting.length > 0 && !res.writableEnded && !req.socket.destroyed) {
      const ready = waiting.filter((item) => item.dependsOn.every((id) => answers.has(byId.get(id.toLowerCase())!)));
      waiting = waiting.filter((item) => !ready.includes(item));
      await Promise.all(ready.map(run));
    }
  } finally {
    res.removeListener('close', onGone);
  }
  return items.filter((item) => answers.has(item)).map((item) => itemResponse(item.id, answers.get(item)!));
}

/** After auth, before the other Graph steps: answers POST /{version}/$batch and passes everything else on. */
export function jsonBatch(options: BatchOptions) {
  // An item's body is 3 levels in ({"requests":[{"body": …}]}): it may nest as deep as any request body. Its names
  // are checked as Graph's batch reader checks them (batchNames.ts: on the parsed body, the text read again only to
  // name a refusal).
  // Its bytes stay counted in the budget of bodies until the batch is answered: its items may wait long (a latency
  // fault), holding the parsed body all that time.
  const readBody = jsonBody(BATCH_BODY_LIMIT, { wrapping: 3, checkNames: batchNameError, types: GRAPH_JSON_TYPES, heldUntilAnswered: true });
  return function batch(req: Request, res: Response, next: NextFunction): void {
    const version = BATCH_PATH.exec(unreservedDecoded(req.path))?.[1]?.toLowerCase();
    if (version === undefined) return next();
    if (req.method !== 'POST')
      throw GraphError.of('methodNotAllowed', `The HTTP method '${req.method}' is not allowed for the requested resource.`, { Allow: 'POST' });
    readBody(req, res, (err?: unknown) => {
      if (err !== undefined) return next(err);
      let items: BatchItemRequest[];
      try {
        // An empty body reads as undefined: the payload check names what is missing.
        items = readBatchPayload(req.body, version);
      } catch (invalid) {
        return next(invalid);
      }
      runBatch(req, res, items, options)
        .then((responses) => {
          const answer = batchAnswer(responses);
          res.statusCode = 200;
          res.setHeader('OData-Version', '4.0');
          res.setHeader('Content-Type', 'application/json');
          endAnswer(res, answer);
        })
        // A failure while the answer is made (one too large) is the batch's error answer, never an unhandled rejection.
        .catch(next);
    });
  };
}
