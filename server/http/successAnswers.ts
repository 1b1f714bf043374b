// The success senders: every successful Graph answer of a resource leaves through one of these, with
// OData-Version and, for a body, the OData content type, as Graph sends them. Each hands Node its headers in one
// list with the status line (graphHeaders.ts adds Graph's own to it), and checks first for a fault in phase
// "after", which answers instead.
import type { Response } from 'express';
import { ODATA_CONTENT_TYPE, endAnswer } from '../graphWire.js';
import { isKeptResponse } from './syntheticExchange.js';

/**
 * Faults in phase "after": the request ran and committed, then the client gets the failure (the create
 * that answers 504 but happened). The success senders below are the only places a success answer leaves,
 * so they ask here first. True when the pending fault answered instead of the success.
 */
function answerWithDeferredFault(res: Response): boolean {
  const context = res.req.emulatorContext;
  const render = context?.deferredFault;
  if (context === undefined || render === undefined) return false;
  context.deferredFault = undefined;
  // The success's own headers do not ride on the failure: sendGraphError drops them (graphErrors.ts).
  render(res);
  return true;
}

/**
 * The length of a body as Node would have sent it: a header block written before the body must say it, or Node
 * frames the body in chunks. An answer to HEAD has none, as Node sends none, and neither has a $batch item's
 * answer, which is kept, not framed (syntheticExchange.ts): counting its UTF-8 bytes was about 1 µs of an item.
 */
function withLength(res: Response, headers: string[], text: string): string[] {
  if (res.req.method !== 'HEAD' && !isKeptResponse(res)) headers.push('Content-Length', String(Buffer.byteLength(text)));
  return headers;
}

/**
 * A successful OData answer: the odata content type and OData-Version, as Graph sends them; `headers` are more
 * name, value pairs (a create's Location).
 */
export function sendOData(res: Response, status: number, body: unknown, headers: readonly string[] = []): void {
  if (answerWithDeferredFault(res)) return;
  const text = JSON.stringify(body);
  res.writeHead(status, withLength(res, ['OData-Version', '4.0', 'Content-Type', ODATA_CONTENT_TYPE, ...headers], text));
  endAnswer(res, text);
}

/** 204 No Content, with OData-Version as Graph sends it on PATCH and DELETE. */
export function sendNoContent(res: Response): void {
  if (answerWithDeferredFault(res)) return;
  res.writeHead(204, ['OData-Version', '4.0']);
  res.end();
}

/** A success with no body and no content type (an action answering 200 OK, as moveToCatalog does). */
export function sendEmpty(res: Response, status: number): void {
  if (answerWithDeferredFault(res)) return;
  res.writeHead(status, withLength(res, ['OData-Version', '4.0'], ''));
  res.end();
}
