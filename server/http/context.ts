// The one per-request context: what the steps of a Graph request learn about it and hand on. The bearer
// token is read from the Authorization header once, the identity in its claims read once per distinct token
// (clients send the same token request after request), and the fault step records what it did here for the
// request log and for the success senders (a fault in phase "after" answers instead of the success).
import type { Request, Response } from 'express';
import { type Identity, identityOf } from '../identity/claims.js';
import { memoize } from '../memo.js';
import type { Matched, RouteTable } from './dispatch.js';
import type { StoredEntry } from './requestJournal.js';
import type { ExpansionBudget } from '../expansionBudget.js';
import type { Store } from '../store/store.js';
import { tenantOfTid } from '../tenantIds.js';

export interface AppliedFault {
  /** `rules[2] (name)`, `X-Emulator-Fault`, `throttle` or `Retry-After`. */
  source: string;
  /** What happened, e.g. `latency 312ms, status 503`. */
  effect: string;
}

/** What the request journal holds of a request while it runs (journalCapture.ts). */
interface JournalCapture {
  /** The entries of a $batch's items, recorded after the batch's own. */
  readonly items: StoredEntry[];
  /**
   * Reads the rest of a body no step read, keeping its start for the entry, when no answer will be sent to start
   * that read (a connection dropped on purpose); undefined when the body cannot be kept (then it is only drained).
   */
  keepUnread(): Promise<void> | undefined;
}

export interface RequestContext {
  /** The bearer token as sent; '' when there is none. */
  readonly token: string;
  /** Who the token names and what it may do (identity/claims.ts); the same object for every request with this token. */
  readonly identity: Identity;
  /**
   * The tenant whose data the request reads and writes: the token's `tid`, lower-cased; the default tenant for a
   * token without one (or that is not a JWT). A `tid` that is no tenant id is refused by auth (http/auth.ts).
   */
  readonly tenant: string;
  /** The tenant's store, once the request is dispatched to a resource (http/dispatch.ts). */
  store: Store | undefined;
  /** The fault applied to this request; undefined while it runs clean. */
  fault: AppliedFault | undefined;
  /** A fault in phase "after": the request commits, then this answers instead of the success. */
  deferredFault: ((res: Response) => void) | undefined;
  /** The request journal's capture while the request runs (journalCapture.ts); undefined when it is not journaled. */
  journal: JournalCapture | undefined;
  /** For an item of a $batch (batch.ts): where it stands in its batch. */
  batchItem: BatchItem | undefined;
  /** For a $batch (batch.ts): its items' requests in the order they ran, which its log line lists (requestLog.ts). */
  batchRequests: Request[] | undefined;
  /** The resource the path names in a routing table, once looked up (dispatch.ts matchResource). */
  resourceMatch: { readonly table: RouteTable; readonly matched: Matched | undefined } | undefined;
}

export interface BatchItem {
  /** The item's `id` in the batch. */
  readonly id: string;
  /** The journal's capture of the $batch request, which records its items after itself. */
  readonly batch: { readonly items: StoredEntry[] } | undefined;
  /** The id of a request this one depends on that failed: the item is answered 424 without running. */
  readonly failedDependency: string | undefined;
  /** Made once per $batch, the same for each of its items: what tells another item of the same batch. */
  readonly batchKey: object;
  /** The characters of $expand answers the batch's items share (expansionSize.ts). */
  readonly expansionBudget: ExpansionBudget;
  /** The item's body as it was handed to its request, for the journal when no step read it (journalCapture.ts). */
  readonly body: Buffer | undefined;
  /** The $batch request's response: what a drop writes on the connection goes in its place (faultInjection.ts). */
  readonly batchResponse: Response;
}

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by contextOf on first use; read it through contextOf. */
    emulatorContext?: RequestContext;
  }
}

/** The bearer token of an Authorization header; '' when it carries none. */
export function bearerTokenOf(header: string | undefined): string {
  if (header === undefined || header === '') return '';
  // `Bearer`, any case, then whitespace: what /^Bearer\s+(.*)$/i reads, without a pattern run over the whole token.
  const text = header.trim();
  if (text.length < 8 || text.slice(0, 6).toLowerCase() !== 'bearer' || !WHITESPACE.test(text[6]!)) return '';
  return text.slice(7).trim();
}

const WHITESPACE = /\s/;

const tokenFacts = memoize((token: string) => {
  const identity = identityOf(token);
  return { identity, tenant: tenantOfTid(identity.tenantId) };
});

/** The request's context, made on first use from its headers. */
export function contextOf(req: Request): RequestContext {
  let context = req.emulatorContext;
  if (context === undefined) {
    const token = bearerTokenOf(req.headers.authorization);
    const { identity, tenant } = tokenFacts(token);
    context = {
      token,
      identity,
      tenant,
      store: undefined,
      fault: undefined,
      deferredFault: undefined,
      journal: undefined,
      batchItem: undefined,
      batchRequests: undefined,
      resourceMatch: undefined,
    };
    req.emulatorContext = context;
  }
  return context;
}

/** What the request's $expand may still add: its $batch's shared budget, or undefined for a budget of its own. */
export function expansionBudgetOf(req: Request): ExpansionBudget | undefined {
  return req.emulatorContext?.batchItem?.expansionBudget;
}

/** The store of the request's tenant: set for every request a resource answers. */
export function storeOf(req: Request): Store {
  const store = contextOf(req).store;
  if (store === undefined) throw new Error('The request reached a resource before its tenant was resolved.');
  return store;
}
