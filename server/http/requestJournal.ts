// The request journal: the last Graph requests and their answers, in a bounded ring, for tests that ask "did my
// client send this, with this body?" (GET /_emulator/requests, the library's `requests()`).
// Memory is bounded whatever the traffic: each body is cut at BODY_LIMIT characters (and marked), every other
// text at TEXT_LIMIT (journalTexts.ts), and the entries' texts live in one byte ring of at most MEMORY_BUDGET
// bytes (journalRing.ts; long bodies deflated), which drops its oldest entries first. Entries keep the texts as
// captured; JSON is parsed and headers made into objects only when an entry is read (journalEntry.ts), so
// recording a request costs no parse or serialisation of its answer.
import type { Identity } from '../identity/claims.js';
import { tenantOfTid } from '../tenantIds.js';
import type { AppliedFault } from './context.js';
import { EntryRing } from './journalRing.js';
import { cutText } from './journalTexts.js';

/** Entries kept when no size is configured (JOURNAL_SIZE). */
export const DEFAULT_JOURNAL_SIZE = 1000;
/** The largest JOURNAL_SIZE accepted. */
export const MAX_JOURNAL_SIZE = 100_000;
/** Characters of a request or response body kept; the rest is cut and the entry marked. */
export const BODY_LIMIT = 16 * 1024;
/** Bytes the journal's ring may take for the texts of all its entries (UTF-8, long bodies deflated). */
export const MEMORY_BUDGET = 64 * 1024 * 1024;
/** The smallest budget: an entry takes at most a few hundred KB (its texts cut as above, 3 bytes a character). */
export const MIN_MEMORY_BUDGET = 1024 * 1024;

/**
 * One request as recorded, kept as cheaply as it can be (a handful of objects, each string flat, numbers small
 * enough to need no allocation): the request's headers as one text of the raw pairs Node read, the answer's as
 * the header block Node wrote, the caller as the identity object its token already has; objects are made of them
 * only when an entry is read.
 */
export interface StoredEntry {
  /** Set by the journal when it adds the entry. */
  id: number;
  /** The entry id of the $batch an item belongs to; set by the journal. */
  batchId: number | null;
  /** Bytes the entry takes in the journal's ring; set by the journal. */
  bytes: number;
  /** When the request arrived, in whole milliseconds since the epoch (the wall clock). */
  startedAt: number;
  /** Who the token names (shared by every request with that token): the tenant and a JWT's claims. */
  identity: Identity;
  method: string;
  /** As sent (percent-encoded), without the query. */
  path: string;
  /** The query string as sent, without `?`; '' when there is none. */
  query: string;
  /** `name\nvalue\nname\nvalue…` as received (a header value holds no line break); a credential's value is cut to its scheme. */
  requestHeaders: string;
  /** The body text, cut at BODY_LIMIT; undefined when the request had none. */
  requestBody: string | undefined;
  requestBodyTruncated: boolean;
  /** null when the connection closed before an answer was sent (a dropped connection, a client gone). */
  status: number | null;
  /** The header block as written (`HTTP/1.1 201 Created\r\nname: value…`); '' when there was no answer. */
  responseHeaders: string;
  responseBody: string | undefined;
  responseBodyTruncated: boolean;
  /** Whole microseconds. */
  durationUs: number;
  fault: AppliedFault | null;
  /** The `id` of the item in its $batch, for a batch item. */
  batchItemId: string | null;
}

/** What a query selects entries by: read from the ring without decoding (or inflating) the entry's bodies. */
export type EntrySummary = Pick<StoredEntry, 'id' | 'method' | 'path' | 'status' | 'identity'>;

/**
 * The tenant a request is recorded under: the one whose data it used (http/context.ts), its token's `tid`, else the
 * default tenant. A `tid` that is no tenant id was recorded as sent (`a b`, or '' for a number) while AUTH=none
 * served the request from the default tenant, where `?tenant=` never found it.
 */
export function tenantOf(identity: Identity): string {
  return tenantOfTid(identity.tenantId);
}

/** A body as the journal keeps it: at most BODY_LIMIT characters, never half a surrogate pair (the ring copies the bytes, so a slice holds nothing). */
export function capBody(text: string | undefined): { text: string | undefined; truncated: boolean } {
  if (text === undefined || text.length <= BODY_LIMIT) return { text, truncated: false };
  return { text: cutText(text, BODY_LIMIT), truncated: true };
}

export class RequestJournal {
  private readonly ring: EntryRing;
  private lastId = 0;

  constructor(
    /** Entries kept at most. */
    readonly size: number = DEFAULT_JOURNAL_SIZE,
    budget: number = MEMORY_BUDGET,
  ) {
    if (!Number.isInteger(size) || size < 1 || size > MAX_JOURNAL_SIZE)
      throw new RangeError(`A request journal keeps 1 to ${MAX_JOURNAL_SIZE} entries; got ${size}.`);
    this.ring = new EntryRing(size, Math.max(budget, MIN_MEMORY_BUDGET));
  }

  /** Adds a request and, after it, the items of its batch; answers the request's entry id. */
  record(entry: StoredEntry, items: readonly StoredEntry[] = []): number {
    const id = this.add(entry, null);
    for (const item of items) this.add(item, id);
    return id;
  }

  private add(entry: StoredEntry, batchId: number | null): number {
    entry.id = ++this.lastId;
    entry.batchId = batchId;
    this.ring.push(entry);
    return entry.id;
  }

  /**
   * Live entries, oldest first, that pass `keep`, after entry `since`, at most `limit` of them. `keep` sees each
   * entry's summary, so only the entries it keeps have their bodies decoded.
   */
  list(keep: (entry: EntrySummary) => boolean, since = 0, limit = Number.POSITIVE_INFINITY): StoredEntry[] {
    const found: StoredEntry[] = [];
    for (let i = this.firstAfter(since); i < this.ring.count && found.length < limit; i += 1) {
      if (keep(this.ring.summaryAt(i))) found.push(this.ring.at(i));
    }
    return found;
  }

  /** The index of the first live entry with an id above `since` (ids increase from the oldest). */
  private firstAfter(since: number): number {
    let low = 0;
    let high = this.ring.count;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.ring.idAt(mid) <= since) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** Forgets every entry, or those of one tenant. Ids keep increasing, so a poller's `since` stays valid. */
  clear(tenant?: string): void {
    const kept = tenant === undefined ? [] : this.list((entry) => tenantOf(entry.identity) !== tenant);
    this.ring.clear();
    for (const entry of kept) this.ring.push(entry);
  }

  /** Bytes the ring holds for the entries' texts (what MEMORY_BUDGET bounds). */
  get heldBytes(): number {
    return this.ring.capacityBytes;
  }

  get count(): number {
    return this.ring.count;
  }
}
