// Faults in phase "after": the request runs and commits, then the client gets the failure (the
// create that answers 504 but happened). The success senders are the only places a success answer
// leaves, so they ask here first and hand the response over when a fault is pending.
import type { Request, Response } from 'express';

type Render = (res: Response) => void;

const pending = new WeakMap<Request, Render>();

// Headers that describe a success (Location of a created entity, an applied preference) must not
// ride on the failure that replaces it.
const SUCCESS_ONLY_HEADERS = ['Location', 'Preference-Applied', 'ETag', 'OData-Version'];

export function deferFault(req: Request, render: Render): void {
  pending.set(req, render);
}

/** True when a pending after-phase fault answered instead of the success. */
export function answerWithDeferredFault(res: Response): boolean {
  const render = pending.get(res.req);
  if (render === undefined) return false;
  pending.delete(res.req);
  for (const name of SUCCESS_ONLY_HEADERS) res.removeHeader(name);
  render(res);
  return true;
}
