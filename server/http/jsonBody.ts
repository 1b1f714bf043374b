// Request bodies: JSON only, size-limited, and every failure in Graph's envelope.
// A declared Content-Length over the limit is refused here, before a byte of the body is read, and the
// connection is closed: body-parser would first drain the whole announced body before answering.
import express, { type NextFunction, type Request, type Response } from 'express';
import { GraphError } from '../graphErrors.js';

const METHODS_WITH_BODY = new Set(['POST', 'PATCH', 'PUT']);

function hasBody(req: Request): boolean {
  const length = req.get('content-length');
  return req.get('transfer-encoding') !== undefined || (length !== undefined && length !== '0');
}

export function jsonBody(limitBytes: number) {
  const parse = express.json({ limit: limitBytes, strict: false, type: () => true });
  return function body(req: Request, res: Response, next: NextFunction): void {
    if (!METHODS_WITH_BODY.has(req.method)) return next();
    if (!hasBody(req)) {
      req.body = undefined;
      return next();
    }
    if (!req.is(['application/json', 'application/*+json'])) {
      const type = req.get('content-type');
      throw GraphError.of(
        'unsupportedMediaType',
        type ? `The content type '${type}' is not supported. Use 'application/json'.` : "A request body needs Content-Type 'application/json'.",
      );
    }
    if (Number(req.get('content-length')) > limitBytes) throw tooLarge(limitBytes, res);
    parse(req, res, (err?: unknown) => {
      if (err === undefined) return next();
      next(translateBodyError(err, limitBytes, res));
    });
  };
}

function translateBodyError(err: unknown, limitBytes: number, res: Response): unknown {
  const type = (err as { type?: string }).type;
  if (type === 'entity.too.large') return tooLarge(limitBytes, res);
  if (type === 'entity.parse.failed') {
    // Graph's wording for a body that is not JSON.
    return GraphError.of('badRequest', 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.');
  }
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
    return GraphError.of('unsupportedMediaType', (err as Error).message);
  }
  if (type === 'request.aborted') return GraphError.of('badRequest', 'The request body was not received completely.');
  return err;
}

function tooLarge(limitBytes: number, res: Response): GraphError {
  res.setHeader('Connection', 'close');
  return GraphError.of('payloadTooLarge', `The request body exceeds the maximum allowed size of ${limitBytes} bytes.`);
}
