// Headers the live Graph sends on every response, success or error (captures in msgraph-sdk-powershell
// issue 2505; https://learn.microsoft.com/graph/best-practices-concept#reliability-and-support).
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { answerWithDeferredFault } from '../faults/afterPhase.js';

export const ODATA_CONTENT_TYPE =
  'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

const DIAGNOSTIC = JSON.stringify({
  ServerInfo: { DataCenter: 'West Europe', Slice: 'E', Ring: '5', ScaleUnit: '000', RoleInstance: 'AM1PEPF0001A38D' },
});

/** Headers a browser may read; Graph's own CORS answers expose the same ones. */
export const EXPOSED_HEADERS = ['request-id', 'client-request-id', 'Location', 'Retry-After', 'OData-Version', 'Preference-Applied', 'x-ms-ags-diagnostic', 'x-ms-throttle-limit-percentage', 'x-ms-throttle-scope', 'x-ms-throttle-information'];

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

/** A successful OData answer: the odata content type and OData-Version, as Graph sends them. */
export function sendOData(res: Response, status: number, body: unknown): void {
  if (answerWithDeferredFault(res)) return;
  res.statusCode = status;
  res.setHeader('OData-Version', '4.0');
  res.setHeader('Content-Type', ODATA_CONTENT_TYPE);
  res.end(JSON.stringify(body));
}

/** 204 No Content, with OData-Version as Graph sends it on PATCH and DELETE. */
export function sendNoContent(res: Response): void {
  if (answerWithDeferredFault(res)) return;
  res.status(204).setHeader('OData-Version', '4.0');
  res.end();
}
