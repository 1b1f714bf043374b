// The request journal: the last Graph requests and their answers, in a bounded ring, for tests that ask "did my
// client send this, with this body?" (GET /_emulator/requests, the library's `requests()`).
// Memory is bounded whatever the traffic: each body is cut at BODY_LIMIT characters (and marked), and besides
// the entry count the ring holds at most MEMORY_BUDGET estimated bytes, evicting its oldest entries first.
// Entries keep the texts as captured; JSON is parsed only when an entry is read (journalEntry.ts), so recording
// a request costs no parse or serialisation of its answer.
import type { AppliedFault } from './context.js';

/** Entries kept when no size is configured (JOURNAL_SIZE). */
export const DEFAULT_JOURNAL_SIZE = 1000;
/** The largest JOURNAL_SIZE accepted. */
export const MAX_JOURNAL_SIZE = 100_000;
/** Characters of a request or response body kept; the rest is cut and the entry marked. */
export const BODY_LIMIT = 16 * 1024;
/** Estimated bytes all entries may hold together (bodies and headers at 2 bytes a character, plus overhead). */
export const MEMORY_BUDGET = 64 * 1024 * 1024;
const ENTRY_OVERHEAD = 512;

/** The bearer token as the journal keeps it: its scheme, and a JWT's claims, never the token itself. */
export interface AuthorizationSummary {
  scheme: string;
  claims: Readonly<Record<string, unknown>> | null;
}

export type RecordedHeaders = Record<string, string | string[] | number | AuthorizationSummary>;

/** One request as recorded: the bodies still as texts. */
export interface RecordedRequest {
  /** Epoch milliseconds when the request arrived. */
  time: number;
  tenant: string;
  method: string;
  /** As sent (percent-encoded), without the query. */
  path: string;
  /** The query string as sent, without `?`; '' when there is none. */
  query: string;
  requestHeaders: RecordedHeaders;
  /** The body text, cut at BODY_LIMIT; undefined when the request had none. */
  requestBody: string | undefined;
  requestBodyTruncated: boolean;
  /** null when the connection closed before an answer was sent (a dropped connection, a client gone). */
  status: number | null;
  responseHeaders: RecordedHeaders;
  responseBody: string | undefined;
  responseBodyTruncated: boolean;
  responseType: string | undefined;
  durationMs: number;
  fault: AppliedFault | null;
  /** The `id` of the item in its $batch, for a batch item. */
  batchItemId: string | null;
}

export interface StoredEntry extends RecordedRequest {
  readonly id: number;
  /** The entry id of the $batch an item belongs to. */
  readonly batchId: number | null;
  readonly bytes: number;
}

/** A body as the journal keeps it: at most BODY_LIMIT characters, copied when cut so the full text can be freed. */
export function capBody(text: string | undefined): { text: string | undefined; truncated: boolean } {
  if (text === undefined || text.length <= BODY_LIMIT) return { text, truncated: false };
  // A slice of a long string keeps the whole string alive in V8; a copy through a Buffer does not.
  return { text: Buffer.from(text.slice(0, BODY_LIMIT), 'utf8').toString('utf8'), truncated: true };
}

function headerBytes(headers: RecordedHeaders): number {
  let bytes = 0;
  for (const name in headers) {
    const value = headers[name];
    bytes += name.length + (typeof value === 'string' ? value.length : 64);
  }
  return bytes * 2;
}

function estimateBytes(entry: RecordedRequest): number {
  const texts = (entry.requestBody?.length ?? 0) + (entry.responseBody?.length ?? 0) + entry.path.length + entry.query.length;
  return ENTRY_OVERHEAD + texts * 2 + headerBytes(entry.requestHeaders) + headerBytes(entry.responseHeaders);
}

export class RequestJournal {
  private entries: StoredEntry[] = [];
  /** Index of the oldest live entry in `entries`; the slots before it are dropped in bulk now and then. */
  private head = 0;
  private lastId = 0;
  private bytes = 0;

  constructor(
    /** Entries kept at most. */
    readonly size: number = DEFAULT_JOURNAL_SIZE,
    private readonly budget: number = MEMORY_BUDGET,
  ) {}

  /** Adds a request and, after it, the items of its batch; answers the request's entry id. */
  record(request: RecordedRequest, items: readonly RecordedRequest[] = []): number {
    const id = this.add(request, null);
    for (const item of items) this.add(item, id);
    return id;
  }

  private add(request: RecordedRequest, batchId: number | null): number {
    const entry: StoredEntry = { ...request, id: ++this.lastId, batchId, bytes: estimateBytes(request) };
    this.entries.push(entry);
    this.bytes += entry.bytes;
    while (this.length > this.size || (this.bytes > this.budget && this.length > 1)) this.dropOldest();
    return entry.id;
  }

  private get length(): number {
    return this.entries.length - this.head;
  }

  private dropOldest(): void {
    const oldest = this.entries[this.head]!;
    this.bytes -= oldest.bytes;
    this.entries[this.head] = undefined as unknown as StoredEntry;
    this.head += 1;
    // Compacted once half the array is dead: amortised O(1) per entry, no shift per drop.
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }

  /** Live entries, oldest first, that pass `keep`, after entry `since`, at most `limit` of them. */
  list(keep: (entry: StoredEntry) => boolean, since = 0, limit = Number.POSITIVE_INFINITY): StoredEntry[] {
    const found: StoredEntry[] = [];
    for (let i = this.firstAfter(since); i < this.entries.length && found.length < limit; i += 1) {
      const entry = this.entries[i]!;
      if (keep(entry)) found.push(entry);
    }
    return found;
  }

  /** The index of the first live entry with an id above `since` (ids increase along the array). */
  private firstAfter(since: number): number {
    let low = this.head;
    let high = this.entries.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.entries[mid]!.id <= since) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** Forgets every entry, or those of one tenant. Ids keep increasing, so a poller's `since` stays valid. */
  clear(tenant?: string): void {
    const kept = tenant === undefined ? [] : this.entries.slice(this.head).filter((entry) => entry.tenant !== tenant);
    this.entries = kept;
    this.head = 0;
    this.bytes = kept.reduce((sum, entry) => sum + entry.bytes, 0);
  }

  /** Estimated bytes held (what MEMORY_BUDGET bounds). */
  get heldBytes(): number {
    return this.bytes;
  }

  get count(): number {
    return this.length;
  }
}
