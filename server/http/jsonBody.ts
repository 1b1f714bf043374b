// Request bodies: JSON only, size-limited, and every failure in Graph's envelope.
// A declared Content-Length over the limit is refused here, before a byte of the body is read (body-parser
// would first drain the whole announced body before answering); the rest of the body is then read and
// dropped within bounds (bodyDrain.ts), so a client still sending it receives the 413.
// The body every Graph client sends (no Content-Encoding, UTF-8, with a Content-Length or chunked) is read and
// parsed here in one pass, its text kept as sent for the request journal; body-parser (express.json) takes
// everything else: gzip, deflate and brotli, other charsets. Its general path (type checks, charset decoders,
// async-hooks bookkeeping) cost a measurable share of a create's CPU in paired runs (bench/README.md, "Against
// bare Express").
// A body whose client went away before it all came is not answered: no answer can reach the client, and one
// written to the closed connection would be journaled as if it had.
// Both paths take the body's bytes from the budget all bodies being received share (bodyBudget.ts).
import express, { type NextFunction, type Request, type Response } from 'express';
import { GraphError } from '../graphErrors.js';
import { isDecompressionError } from '../errors.js';
import { withoutByteOrderMark } from '../jsonFile.js';
import { isUtf8, notUtf8Reason } from '../utf8Bytes.js';
import { charsetOf } from './bodyCharset.js';
import { decodedBody } from './jsonCharset.js';
import { type DrainLimits, DRAIN_LIMITS, discardBody } from './bodyDrain.js';
import { openAccount, withinBudget } from './bodyBudget.js';
import { refusedJson } from './jsonDepth.js';
import { firstRepeatedName, keyCount, repeatedNameError } from './duplicateNames.js';

const METHODS_WITH_BODY = new Set(['POST', 'PATCH', 'PUT']);
/** The content types nearly every client sends, taken as they are: type-is parses the header on every request. */
const PLAIN_JSON_TYPES = new Set(['application/json', 'application/json; charset=utf-8', 'application/json;charset=utf-8']);
const JSON_TYPES = ['application/json', 'application/*+json'];
/**
 * What Graph reads a body as: `application/json` and no other type. Its OData reader matches the type and subtype
 * against the ones it supports (Microsoft.OData.Core MediaTypeUtils.GetFormatFromContentType), so a JSON-based type
 * (`application/merge-patch+json`, `application/vnd.contoso+json`) is not JSON to it.
 */
export const GRAPH_JSON_TYPES: readonly string[] = ['application/json'];

declare module 'express-serve-static-core' {
  interface Request {
    /**
     * The body's text as it came (its byte order mark dropped), kept for the request journal: what the client
     * sent, not the parsed value written again, and kept when it is not JSON. Only on the plain UTF-8 path below
     * (a Content-Length or chunked body, not compressed).
     */
    bodyText?: string;
    /** A body body-parser decodes, as its check saw it, until it is parsed (duplicateNames.ts). */
    bodyScan?: { text: string; names: number };
  }
}

function hasBody(req: Request): boolean {
  const length = req.get('content-length');
  return req.get('transfer-encoding') !== undefined || (length !== undefined && length !== '0');
}

/**
 * A check of a parsed body's member names against its text (`names`: the names counted on the text): the error to
 * answer, or undefined.
 */
type NameCheck = (text: string, names: number, body: unknown) => GraphError | undefined;

interface JsonBodyOptions {
  /** How much of a refused body is read and dropped, and for how long (bodyDrain.ts). */
  readonly drain?: DrainLimits;
  /**
   * The levels a body puts around the request bodies it carries ($batch: its items' bodies are 3 levels in), which
   * the depth limit does not count.
   */
  readonly wrapping?: number;
  /**
   * Run on the body's text once it is parsed. By default a member named twice in one object is refused, on every
   * route, in the Graph routes' words (refuseRepeatedNames); $batch gives its own, which leaves the items' bodies to
   * their own requests.
   */
  readonly checkNames?: NameCheck;
  /** The content types read as JSON (type-is patterns); the admin API's default takes the `+json` types too. */
  readonly types?: readonly string[];
  /**
   * The body's bytes stay counted in the budget of bodies (bodyBudget.ts) until its response is done, not only while
   * it arrives: a $batch's parsed body is held while its items run, a latency fault's 300 s included.
   */
  readonly heldUntilAnswered?: boolean;
}

export function jsonBody(
  limitBytes: number,
  { drain = DRAIN_LIMITS, wrapping = 0, checkNames = refuseRepeatedNames, types = JSON_TYPES, heldUntilAnswered = false }: JsonBodyOptions = {},
) {
  const accepted = [...types];
  // The decoded text is checked before body-parser's JSON.parse builds it (jsonDepth.ts), and kept with its count of
  // member names for checkNames once the body is parsed.
  const verify = (req: Request, _res: Response, buf: Buffer, charset: string) => {
    if (UTF8_NAMES.test(charset) && !isUtf8(buf)) {
      const refused = notUtf8(buf);
      throw Object.assign(new Error(refused.message), { type: REFUSED, refused });
    }
    const text = decodedBody(buf, charset);
    const counted = { names: 0 };
    const refused = refusedJson(text, wrapping, counted);
    if (refused !== undefined) throw Object.assign(new Error(refused.message), { type: REFUSED, refused });
    req.bodyScan = { text, names: counted.names };
  };
  // Its limit is enforced by withinBudget too, ahead of it: body-parser would answer only once the whole rest of the
  // body came, however long it trickled.
  const parse = withinBudget(express.json({ limit: limitBytes, strict: false, type: () => true, verify }), drain, limitBytes, heldUntilAnswered);
  return function body(req: Request, res: Response, next: NextFunction): void {
    if (!METHODS_WITH_BODY.has(req.method)) return next();
    if (!hasBody(req)) {
      req.body = undefined;
      return next();
    }
    const declared = req.headers['content-type'];
    if (!(declared !== undefined && PLAIN_JSON_TYPES.has(declared)) && !req.is(accepted)) {
      const type = req.get('content-type');
      throw GraphError.of(
        'unsupportedMediaType',
        type ? `The content type '${type}' is not supported. Use 'application/json'.` : "A request body needs Content-Type 'application/json'.",
      );
    }
    if (Number(req.get('content-length')) > limitBytes) {
      discardBody(req, drain);
      throw tooLarge(limitBytes);
    }
    if (isPlainUtf8(req)) return readPlainJson(req, res, { limitBytes, drain, wrapping, checkNames, heldUntilAnswered }, next);
    parse(req, res, (err?: unknown) => {
      if (err === undefined) {
        const read = req.bodyScan;
        req.bodyScan = undefined;
        return next(read === undefined ? undefined : checkNames(read.text, read.names, req.body));
      }
      // body-parser's `request.aborted`, or any failure once the connection is gone: nobody is left to answer.
      if (clientGone(req)) return;
      next(translateBodyError(err, req, limitBytes));
    });
  };
}

/** body-parser's error type for a body jsonDepth.ts refused, which carries Graph's envelope. */
const REFUSED = 'json.refused';

/** A Content-Length or chunked transfer, no content coding, and UTF-8 (JSON's default) as the charset. */
function isPlainUtf8(req: Request): boolean {
  const coding = req.headers['content-encoding'];
  if (coding !== undefined && coding.toLowerCase() !== 'identity') return false;
  // Another transfer coding before `chunked` (`gzip, chunked`) is not decoded here: body-parser answers it as today.
  if (req.headers['content-length'] === undefined && req.headers['transfer-encoding']?.toLowerCase() !== 'chunked') return false;
  // Read as body-parser reads it (the same `content-type` parser, bodyCharset.ts), so that both read one body with
  // one charset; none named, or a header that does not parse, is UTF-8 to both.
  const charset = charsetOf(req.headers['content-type']) ?? '';
  return charset === '' || charset === 'utf-8';
}

/** Graph's 400 when a body names a member twice in one object (duplicateNames.ts); undefined when it does not. */
function refuseRepeatedNames(text: string, names: number, body: unknown): GraphError | undefined {
  if (names === keyCount(body)) return undefined;
  const name = firstRepeatedName(text);
  return name === undefined ? undefined : repeatedNameError(name);
}

interface PlainRead {
  limitBytes: number;
  drain: DrainLimits;
  wrapping: number;
  checkNames: NameCheck;
  heldUntilAnswered: boolean;
}

function readPlainJson(req: Request, res: Response, { limitBytes, drain, wrapping, checkNames, heldUntilAnswered }: PlainRead, next: NextFunction): void {
  const account = openAccount(req, res, drain);
  if (account instanceof GraphError) return next(account);
  const chunks: Buffer[] = [];
  let length = 0;
  const onData = (chunk: Buffer) => {
    length += chunk.length;
    // Only a chunked body can pass the limit here (a declared Content-Length over it was refused, and Node's
    // parser stops there): answered at once, the rest read and dropped within bounds, as for a declared one.
    // Past what the budget of all bodies has left, the same, with its 503.
    const over = length > limitBytes;
    if (over || !account.take(chunk.length)) {
      req.off('data', onData).off('end', onEnd).off('error', onError);
      chunks.length = 0;
      const refused = account.refuse(req, drain);
      return next(over ? tooLarge(limitBytes) : refused);
    }
    chunks.push(chunk);
  };
  const onEnd = () => {
    req.off('data', onData).off('error', onError);
    // Else given back with the response's close (openAccount).
    if (!heldUntilAnswered) account.release();
    const bytes = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length);
    if (!isUtf8(bytes)) return next(notUtf8(bytes));
    // A byte order mark is not JSON, but body-parser's UTF-8 decoder drops it, and so do clients' parsers.
    const text = withoutByteOrderMark(bytes.toString('utf8'));
    req.bodyText = text;
    // An empty chunked body (its only chunk the last, RFC 9112 §7.1) is the same message as a Content-Length of 0:
    // no body, which a write answers with Graph's 400 "Empty Payload" (handlers.ts requireBody), however it is framed.
    if (text === '') return next();
    const counted = { names: 0 };
    const refused = refusedJson(text, wrapping, counted);
    if (refused !== undefined) return next(refused);
    try {
      req.body = JSON.parse(text) as unknown;
    } catch {
      return next(malformedJson());
    }
    // Run in the stream's 'end' listener, outside the router's own catch: an error here must reach next(), or the
    // request would never be answered.
    let repeated: GraphError | undefined;
    try {
      repeated = checkNames(text, counted.names, req.body);
    } catch (err) {
      return next(err);
    }
    next(repeated);
  };
  // The connection ended before the whole body came: there is nobody left to answer (the request log notes the
  // closed connection).
  const onError = () => {
    req.off('data', onData).off('end', onEnd);
    account.release();
    if (!clientGone(req)) next(incomplete());
  };
  req.on('data', onData).once('end', onEnd).once('error', onError);
}

/** Whether the connection can no longer carry an answer (closed, or closing after the client's end). */
function clientGone(req: Request): boolean {
  return !req.socket.writable;
}

function incomplete(): GraphError {
  return GraphError.of('badRequest', 'The request body was not received completely.');
}

/** The charset names body-parser and iconv-lite read as UTF-8. */
const UTF8_NAMES = /^utf-?8$/i;

/**
 * A body whose bytes are no UTF-8 (a Latin-1 `é`, a compressed body sent without its Content-Encoding): Node's
 * decoder would keep it with U+FFFD in their place. Graph documents no answer for it (chosen: its 400, naming where).
 */
function notUtf8(bytes: Buffer): GraphError {
  return GraphError.of('badRequest', `The request body is not UTF-8: ${notUtf8Reason(bytes)}. Send JSON as UTF-8.`);
}

/** The answer to a body that is not JSON (wording chosen: not documented; docs/graph-fidelity.md). */
function malformedJson(): GraphError {
  return GraphError.of('badRequest', 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.');
}

function translateBodyError(err: unknown, req: Request, limitBytes: number): unknown {
  const type = (err as { type?: string }).type;
  // withinBudget's, the rest of the body being dropped within the drain's bounds.
  if (type === 'entity.too.large') return tooLarge(limitBytes);
  if (type === 'entity.parse.failed') return malformedJson();
  if (type === REFUSED) return (err as { refused: GraphError }).refused;
  // In the words of the other 415s, not body-parser's own (`unsupported charset "LATIN1"`): the header as sent, and
  // what the emulator reads instead.
  if (type === 'charset.unsupported') {
    return GraphError.of('unsupportedMediaType', `The content type '${req.get('content-type')}' is not supported. Use 'application/json' with charset utf-8.`);
  }
  if (type === 'encoding.unsupported') {
    return GraphError.of(
      'unsupportedMediaType',
      `The content encoding '${req.get('content-encoding')}' is not supported. Use 'gzip', 'deflate' or 'br', or none.`,
    );
  }
  if (type === 'request.aborted') return incomplete();
  // zlib's own words ("incorrect header check", "unexpected end of file", "Decompression failed") name no part of
  // the request: a body its Content-Encoding does not describe is said so.
  if (isDecompressionError(err) && req.headers['content-encoding'] !== undefined) {
    return GraphError.of(
      'badRequest',
      `The request body could not be decompressed: it is not valid '${req.get('content-encoding')}' data, as its Content-Encoding says.`,
    );
  }
  return err;
}

function tooLarge(limitBytes: number): GraphError {
  return GraphError.of('payloadTooLarge', `The request body exceeds the maximum allowed size of ${limitBytes} bytes.`);
}
