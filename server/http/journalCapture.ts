// The step that records Graph requests in the request journal: every request under /beta or /v1.0 that got
// past the host check and CORS (the admin API and the OAuth endpoints are never recorded). What it costs a request
// is kept small (the benchmark's target is 5 %; bench/README.md has what it measures): a listener, and when the
// response closes one entry that keeps what Node and the steps already made: a copy of the raw request header pairs
// (a credential reduced to its scheme, a cookie to its name), the body text as read (jsonBody.ts), the header block
// Node wrote, and the body text the answer's sender made (graphWire.ts endAnswer), any token or secret taken out of
// the query and the bodies (journalSecrets.ts). A $batch item records into its
// batch, which adds its items after itself when it closes, so a batch's entry always comes before its items.
import { performance } from 'node:perf_hooks';
import type { NextFunction, Request, Response } from 'express';
import { type BatchItem, type RequestContext, contextOf } from './context.js';
import { BODY_LIMIT, type RequestJournal, type StoredEntry, capBody } from './requestJournal.js';
import { DRAIN_LIMITS, discardBody } from './bodyDrain.js';
import { keptRequestHeaders, withoutSecrets } from './journalSecrets.js';
import { type BodyDecoder, bodyDecoder } from './bodyCharset.js';
import { answerInPlaceOf } from './clientErrors.js';
import { BodyAccount, bodyBudgetOf } from './bodyBudget.js';
import { isKeptResponse } from './syntheticExchange.js';
import { unreservedDecoded } from '../urlText.js';

const GRAPH_PATH = /^\/(?:beta|v1\.0)(?:\/|$)/i;
/**
 * The header block of an answered response: `_header` is where Node keeps the block it wrote (it backs
 * `headersSent`), and a $batch item's response keeps one written the same way (syntheticExchange.ts).
 */
function responseHeaders(res: Response): string {
  return (res as Response & { _header: string })._header;
}

/**
 * Bytes kept of a body refused unread: BODY_LIMIT characters and one more in UTF-8 or UTF-32 (4 bytes each at most),
 * after a byte order mark, so a longer one is marked cut.
 */
const UNREAD_BODY_BYTES = (BODY_LIMIT + 2) * 4;

/** Whether the journal's check takes a secret out of `text` read as a request body. */
function namesSecret(text: string): boolean {
  return withoutSecrets('', text, undefined).requestBody !== text;
}

function hasBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
}

/** Requests whose body refused unread was not kept for want of room in the budget of bodies: their entry marks it cut. */
const cutUnread = new WeakSet<Request>();

/**
 * A body the request was refused without reading (a 401, a 403, an injected fault, a 404, a 415): read once the
 * answer is sent and dropped, within the bounds of bodyDrain.ts, as Node would drop it, its start kept as the text
 * the journal shows, decoded with the charset its Content-Type names (bodyCharset.ts). Undefined when a step read it
 * (or began to), for a compressed body or one in a charset that cannot be decoded, whose bytes are no text (and
 * could hold a secret the journal's check cannot read), and for one whose bytes name a secret its charset hides.
 * The bytes kept are taken from `account` (the budget of all bodies being received, bodyBudget.ts) as they come:
 * with many connections each sending such a body, they are memory like any body's. Once a chunk finds no room,
 * nothing is kept (what was is given back) and the entry shows no body, marked cut: a start cut anywhere could
 * end inside a secret the journal's check would no longer recognise.
 */
function keepUnreadBody(req: Request, account: BodyAccount): Promise<void> | undefined {
  if (req.readableFlowing !== null || req.readableEnded || req.headers['content-encoding'] !== undefined) return undefined;
  const decode = bodyDecoder(req.headers['content-type']);
  if (decode === undefined) return undefined;
  const kept: Buffer[] = [];
  let bytes = 0;
  const keep = (chunk: Buffer) => {
    if (bytes >= UNREAD_BODY_BYTES) return;
    const part = chunk.subarray(0, UNREAD_BODY_BYTES - bytes);
    if (!account.take(part.length)) {
      account.release();
      kept.length = 0;
      bytes = UNREAD_BODY_BYTES;
      cutUnread.add(req);
      return;
    }
    kept.push(Buffer.from(part));
    bytes += part.length;
  };
  return discardBody(req, DRAIN_LIMITS, keep).then(() => {
    req.bodyText = keptText(Buffer.concat(kept), decode);
  });
}

/** The text kept of a body's bytes read unparsed; undefined for one whose label hides a secret its bytes name. */
function keptText(bytes: Buffer, decode: BodyDecoder): string | undefined {
  const text = decode(bytes);
  // A label that does not describe the bytes (UTF-8 sent as `charset=utf-16`) turns a secret into text no check
  // reads, and back into the secret by encoding it again: a body whose bytes, read one per character, name a
  // secret that its decoded text does not is not kept.
  const raw = bytes.toString('latin1');
  return text !== raw && namesSecret(raw) && !namesSecret(text) ? undefined : text;
}

/**
 * A $batch item's body no step read (the item refused by a fault, a 403 or a 415): its bytes are at hand,
 * handed over with the batch, and kept as a lone request's body refused unread is (keepUnreadBody).
 */
function unreadItemBody(req: Request, item: BatchItem): string | undefined {
  if (item.body === undefined || item.body.length === 0 || req.readableFlowing !== null || req.readableEnded) return undefined;
  if (req.headers['content-encoding'] !== undefined) return undefined;
  const decode = bodyDecoder(req.headers['content-type']);
  return decode === undefined ? undefined : keptText(item.body, decode);
}

function entryOf(req: Request, res: Response, context: RequestContext, path: string, sentQuery: string, started: number, ended: number): StoredEntry {
  // Bytes Node could not read (a bad chunk size, a next request that is not HTTP) are answered on the socket, past
  // this response (clientErrors.ts): that is what the client got, whatever the app wrote after it.
  const onSocket = answerInPlaceOf(res);
  const answered = onSocket === undefined && res.headersSent;
  const kept = withoutSecrets(
    sentQuery,
    // The text as sent when the plain path read it (jsonBody.ts); else (a compressed body, another charset, a
    // $batch item) the parsed value written as JSON; a $batch item's body that no step read, as it was handed over.
    req.bodyText ?? (req.body !== undefined ? JSON.stringify(req.body) : context.batchItem === undefined ? undefined : unreadItemBody(req, context.batchItem)),
    // An answer to HEAD carries no body (Node sends none).
    // Node's bare 408 has none.
    answered && req.method !== 'HEAD' ? res.answerBody : onSocket?.body || undefined,
  );
  const requestBody = capBody(kept.requestBody);
  const responseBody = capBody(kept.responseBody);
  return {
    id: 0,
    batchId: null,
    bytes: 0,
    // On the wall clock, read as the exchange ends: performance.now() stops while the machine sleeps, so counted
    // from the process's start it fell behind by every sleep (a laptop's night), and the entries with it.
    startedAt: Math.floor(Date.now() - (ended - started)),
    identity: context.identity,
    method: req.method,
    path,
    query: kept.query,
    requestHeaders: keptRequestHeaders(req.rawHeaders),
    requestBody: requestBody.text,
    requestBodyTruncated: requestBody.truncated || cutUnread.has(req),
    status: answered ? res.statusCode : (onSocket?.status ?? null),
    responseHeaders: answered ? responseHeaders(res) : (onSocket?.head ?? ''),
    responseBody: responseBody.text,
    responseBodyTruncated: responseBody.truncated,
    durationUs: Math.round((ended - started) * 1000),
    fault: context.fault ?? null,
    batchItemId: context.batchItem?.id ?? null,
  };
}

export function journalCapture(journal: RequestJournal) {
  return function captureRequest(req: Request, res: Response, next: NextFunction): void {
    const path = req.path;
    if (!GRAPH_PATH.test(unreservedDecoded(path))) return next();
    const started = performance.now();
    const url = req.url;
    const queryAt = url.indexOf('?');
    const context = contextOf(req);
    let unread: Promise<void> | undefined;
    // What the body kept for the entry holds of the budget of bodies, given back once the entry is recorded. A
    // library handle's call, whose body is in memory already, is not counted (bodyBudget.ts).
    let account: BodyAccount | undefined;
    const keepUnread = () => {
      if (context.batchItem === undefined && hasBody(req)) {
        account ??= new BodyAccount(isKeptResponse(res) ? undefined : bodyBudgetOf(req.app));
        unread ??= keepUnreadBody(req, account);
      }
      return unread;
    };
    const capture = { items: [] as StoredEntry[], keepUnread };
    context.journal = capture;
    // Before Node's own 'finish' listener, which drops a body nobody read. A $batch item's body was parsed with its
    // batch. A request answered by no response (a dropped connection) is read by the drop (faultInjection.ts).
    if (context.batchItem === undefined && hasBody(req)) res.prependOnceListener('finish', keepUnread);
    // A response emits 'close' after 'finish', and alone when the connection ends first; it is never reused.
    res.on('close', () => {
      const ended = performance.now();
      const record = () => {
        const entry = entryOf(req, res, context, path, queryAt === -1 ? '' : url.slice(queryAt + 1), started, ended);
        const batch = context.batchItem?.batch;
        if (batch !== undefined) batch.items.push(entry);
        else journal.record(entry, capture.items);
        account?.close();
      };
      if (unread === undefined) record();
      else void unread.then(record);
    });
    next();
  };
}
