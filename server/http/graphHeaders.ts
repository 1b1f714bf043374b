// Headers the live Graph sends on every response, success or error (captures in msgraph-sdk-powershell
// issue 2505; https://learn.microsoft.com/graph/best-practices-concept#reliability-and-support).
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { ODATA_CONTENT_TYPE, endAnswer } from '../graphWire.js';

const DIAGNOSTIC = JSON.stringify({
  ServerInfo: { DataCenter: 'West Europe', Slice: 'E', Ring: '5', ScaleUnit: '000', RoleInstance: 'AM1PEPF0001A38D' },
});

/** Headers a browser may read; Graph's own CORS answers expose the same ones. */
export const EXPOSED_HEADERS = [
  'request-id',
  'client-request-id',
  'Location',
  'Retry-After',
  'OData-Version',
  'Preference-Applied',
  'x-ms-ags-diagnostic',
  'x-ms-throttle-limit-percentage',
  'x-ms-throttle-scope',
  'x-ms-throttle-information',
];

export function graphHeaders(req: Request, res: Response, next: NextFunction): void {
  const requestId = randomUUID();
  const clientRequestId = req.headers['client-request-id'];
  res.setHeader('request-id', requestId);
  res.setHeader('client-request-id', typeof clientRequestId === 'string' && clientRequestId.trim() !== '' ? clientRequestId : requestId);
  res.setHeader('Cache-Control', 'no-cache');
  res.setHeader('Strict-Transport-Security', 'max-age=31536000');
  res.setHeader('x-ms-ags-diagnostic', DIAGNOSTIC);
  next();
}

// Headers that describe a success (Location of a created entity, an applied preference) must not
// ride on the failure that replaces it.
const SUCCESS_ONLY_HEADERS = ['Location', 'Preference-Applied', 'ETag', 'OData-Version'];

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
  for (const name of SUCCESS_ONLY_HEADERS) res.removeHeader(name);
  render(res);
  return true;
}

/** A successful OData answer: the odata content type and OData-Version, as Graph sends them. */
export function sendOData(res: Response, status: number, body: unknown): void {
  if (answerWithDeferredFault(res)) return;
  res.statusCode = status;
  res.setHeader('OData-Version', '4.0');
  res.setHeader('Content-Type', ODATA_CONTENT_TYPE);
  endAnswer(res, JSON.stringify(body));
}

/** 204 No Content, with OData-Version as Graph sends it on PATCH and DELETE. */
export function sendNoContent(res: Response): void {
  if (answerWithDeferredFault(res)) return;
  res.status(204).setHeader('OData-Version', '4.0');
  res.end();
}

/** A success with no body and no content type (an action answering 200 OK, as moveToCatalog does). */
export function sendEmpty(res: Response, status: number): void {
  if (answerWithDeferredFault(res)) return;
  res.status(status).setHeader('OData-Version', '4.0');
  res.end();
}
