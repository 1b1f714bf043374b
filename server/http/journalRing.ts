// Where the request journal keeps its entries: each entry's numbers in typed arrays (one slot per entry), its
// shared objects (the caller's identity, the method's interned name, a fault) by reference, and its texts (path,
// query, headers, bodies) encoded as UTF-8 into one byte ring outside the JS heap.
// Why not plain objects: an entry lives for the next JOURNAL_SIZE requests, long enough to be copied out of V8's
// young generation and promoted, so each request left a few KB in the old generation for the full collections to
// mark and sweep; with a large data set in the heap that cost most of the journal's share of a request
// (bench/README.md). Texts written into a Buffer are garbage at once on the heap; the ring is one allocation.
// Bodies of DEFLATE_FROM characters or more are kept deflated once the live entries take DEFLATE_ABOVE_BYTES
// (journalTexts.ts).
// The ring grows (by half) up to its byte budget while it is too small for the entries the count allows;
// past the budget the oldest entries make room.
import type { Identity } from '../identity/claims.js';
import type { AppliedFault } from './context.js';
import { DEFLATE_ABOVE_BYTES, REQUEST_BODY_TEXT, RESPONSE_BODY_TEXT, TEXT_COUNT, deflatedBody, entryTexts, inflatedBody } from './journalTexts.js';
import type { EntrySummary, StoredEntry } from './requestJournal.js';

/** Bytes the ring starts with (grown as entries need it). */
const INITIAL_BYTES = 256 * 1024;
/** The texts of an entry, in their order in the ring (journalTexts.ts), each preceded by its byte length (uint32). */
const TEXT_HEADER = TEXT_COUNT * 4;
/** UTF-8 takes at most 3 bytes for each UTF-16 unit of a JS string (a surrogate pair: 4 bytes for 2 units). */
const MAX_BYTES_PER_UNIT = 3;

const REQUEST_BODY = 1;
const REQUEST_TRUNCATED = 2;
const RESPONSE_BODY = 4;
const RESPONSE_TRUNCATED = 8;
const BATCH_ITEM = 16;
const REQUEST_DEFLATED = 32;
const RESPONSE_DEFLATED = 64;
/** The positions of the two bodies among an entry's texts, and the flag that marks each as deflated. */
const BODY_FLAGS = new Map([
  [REQUEST_BODY_TEXT, REQUEST_DEFLATED],
  [RESPONSE_BODY_TEXT, RESPONSE_DEFLATED],
]);

export class EntryRing {
  private readonly ids: Float64Array;
  private readonly batchIds: Float64Array;
  private readonly startedAt: Float64Array;
  private readonly durationUs: Float64Array;
  private readonly statuses: Uint16Array;
  private readonly flags: Uint8Array;
  private readonly offsets: Uint32Array;
  private readonly lengths: Uint32Array;
  private readonly methods: string[];
  private readonly identities: (Identity | undefined)[];
  private readonly faults: (AppliedFault | null)[];
  private bytes: Buffer;
  /** Slot of the oldest entry. */
  private first = 0;
  private length = 0;
  /** Where the next entry's bytes go. */
  private tail = 0;
  private used = 0;

  constructor(
    /** Entries held at most. */
    readonly slots: number,
    /** Bytes the ring may grow to. */
    readonly maxBytes: number,
    /** Live bytes from which long bodies are kept deflated: DEFLATE_ABOVE_BYTES, at most half the budget. */
    readonly deflateAbove: number = Math.min(DEFLATE_ABOVE_BYTES, maxBytes / 2),
  ) {
    this.ids = new Float64Array(slots);
    this.batchIds = new Float64Array(slots);
    this.startedAt = new Float64Array(slots);
    this.durationUs = new Float64Array(slots);
    this.statuses = new Uint16Array(slots);
    this.flags = new Uint8Array(slots);
    this.offsets = new Uint32Array(slots);
    this.lengths = new Uint32Array(slots);
    this.methods = new Array<string>(slots).fill('');
    this.identities = new Array<Identity | undefined>(slots).fill(undefined);
    this.faults = new Array<AppliedFault | null>(slots).fill(null);
    this.bytes = Buffer.allocUnsafeSlow(Math.min(INITIAL_BYTES, maxBytes));
  }

  get count(): number {
    return this.length;
  }

  /** Bytes the live entries take in the ring. */
  get usedBytes(): number {
    return this.used;
  }

  /** Bytes the ring holds, live or not. */
  get capacityBytes(): number {
    return this.bytes.length;
  }

  private slot(index: number): number {
    const at = this.first + index;
    return at >= this.slots ? at - this.slots : at;
  }

  /** The id of the entry `index` places after the oldest. */
  idAt(index: number): number {
    return this.ids[this.slot(index)]!;
  }

  /** Adds an entry (its id and batchId set), dropping the oldest as the slots or the bytes need. */
  push(entry: StoredEntry): void {
    if (this.length === this.slots) this.dropOldest();
    const texts = entryTexts(entry);
    const pressed = this.used >= this.deflateAbove;
    const deflated: (Buffer | undefined)[] = [];
    let flags = 0;
    let need = TEXT_HEADER;
    for (let i = 0; i < TEXT_COUNT; i += 1) {
      const flag = BODY_FLAGS.get(i);
      deflated[i] = flag === undefined || !pressed ? undefined : deflatedBody(texts[i]!);
      if (deflated[i] !== undefined) flags |= flag!;
      need += deflated[i]?.length ?? texts[i]!.length * MAX_BYTES_PER_UNIT;
    }
    const start = this.reserve(need);
    let at = start + TEXT_HEADER;
    for (let i = 0; i < TEXT_COUNT; i += 1) {
      const packed = deflated[i];
      const written = packed !== undefined ? packed.copy(this.bytes, at) : texts[i] === '' ? 0 : this.bytes.write(texts[i]!, at, 'utf8');
      this.bytes.writeUInt32LE(written, start + i * 4);
      at += written;
    }
    const slot = this.slot(this.length);
    this.length += 1;
    this.ids[slot] = entry.id;
    this.batchIds[slot] = entry.batchId ?? 0;
    this.startedAt[slot] = entry.startedAt;
    this.durationUs[slot] = entry.durationUs;
    this.statuses[slot] = entry.status ?? 0;
    this.flags[slot] =
      flags |
      (entry.requestBody === undefined ? 0 : REQUEST_BODY) |
      (entry.requestBodyTruncated ? REQUEST_TRUNCATED : 0) |
      (entry.responseBody === undefined ? 0 : RESPONSE_BODY) |
      (entry.responseBodyTruncated ? RESPONSE_TRUNCATED : 0) |
      (entry.batchItemId === null ? 0 : BATCH_ITEM);
    this.offsets[slot] = start;
    this.lengths[slot] = at - start;
    this.methods[slot] = entry.method;
    this.identities[slot] = entry.identity;
    this.faults[slot] = entry.fault;
    this.tail = at;
    this.used += at - start;
  }

  /** What a query selects the entry `index` places after the oldest by: its path decoded, no other text. */
  summaryAt(index: number): EntrySummary {
    const slot = this.slot(index);
    const status = this.statuses[slot]!;
    const at = this.offsets[slot]! + TEXT_HEADER;
    const length = this.bytes.readUInt32LE(this.offsets[slot]!);
    return {
      id: this.ids[slot]!,
      method: this.methods[slot]!,
      path: this.decoded(at, length),
      status: status === 0 ? null : status,
      identity: this.identities[slot]!,
    };
  }

  /** The text of `length` bytes at `at`, kept as UTF-8. */
  private decoded(at: number, length: number): string {
    return length === 0 ? '' : this.bytes.toString('utf8', at, at + length);
  }

  /** The entry `index` places after the oldest, its texts decoded. */
  at(index: number): StoredEntry {
    const slot = this.slot(index);
    const flags = this.flags[slot]!;
    const texts: string[] = [];
    let at = this.offsets[slot]! + TEXT_HEADER;
    for (let i = 0; i < TEXT_COUNT; i += 1) {
      const length = this.bytes.readUInt32LE(this.offsets[slot]! + i * 4);
      const deflated = (flags & (BODY_FLAGS.get(i) ?? 0)) !== 0;
      texts.push(deflated ? inflatedBody(this.bytes.subarray(at, at + length)) : this.decoded(at, length));
      at += length;
    }
    const status = this.statuses[slot]!;
    return {
      id: this.ids[slot]!,
      batchId: this.batchIds[slot] === 0 ? null : this.batchIds[slot]!,
      bytes: this.lengths[slot]!,
      startedAt: this.startedAt[slot]!,
      identity: this.identities[slot]!,
      method: this.methods[slot]!,
      path: texts[0]!,
      query: texts[1]!,
      requestHeaders: texts[2]!,
      requestBody: flags & REQUEST_BODY ? texts[3] : undefined,
      requestBodyTruncated: (flags & REQUEST_TRUNCATED) !== 0,
      status: status === 0 ? null : status,
      responseHeaders: texts[4]!,
      responseBody: flags & RESPONSE_BODY ? texts[5] : undefined,
      responseBodyTruncated: (flags & RESPONSE_TRUNCATED) !== 0,
      durationUs: this.durationUs[slot]!,
      fault: this.faults[slot]!,
      batchItemId: flags & BATCH_ITEM ? texts[6]! : null,
    };
  }

  dropOldest(): void {
    const slot = this.first;
    this.used -= this.lengths[slot]!;
    this.identities[slot] = undefined;
    this.faults[slot] = null;
    this.first = this.slot(1);
    this.length -= 1;
    if (this.length === 0) this.tail = 0;
  }

  /** Forgets every entry; the ring keeps its size. */
  clear(): void {
    while (this.length > 0) this.dropOldest();
  }

  /**
   * The offset where `need` bytes go. The live entries lie oldest first from the oldest's offset, either all
   * before `tail` (free: from tail to the end, and from 0 to the oldest) or wrapped once (free: from tail to the
   * oldest). When there is no room, the ring grows (within maxBytes), else the oldest entry is dropped.
   */
  private reserve(need: number): number {
    if (need > this.maxBytes) throw new RangeError(`A journal entry of up to ${need} bytes exceeds the journal's ${this.maxBytes} bytes.`);
    for (;;) {
      const oldest = this.length === 0 ? 0 : this.offsets[this.first]!;
      if (this.length === 0 || oldest < this.tail) {
        if (this.tail + need <= this.bytes.length) return this.tail;
        if (need <= oldest) {
          this.tail = 0;
          return 0;
        }
      } else if (this.tail + need <= oldest) {
        return this.tail;
      }
      if (this.bytes.length < this.maxBytes) this.grow(need);
      else this.dropOldest();
    }
  }

  /**
   * A larger ring (within maxBytes), the live entries copied to its start in order: half as large again, or a
   * quarter more than the live entries and the new one need, whichever is more. The slack lets the ring wrap
   * without dropping entries the count still allows; not doubling keeps its resident size near what it holds.
   */
  private grow(need: number): void {
    const size = Math.min(this.maxBytes, Math.ceil(Math.max(this.bytes.length * 1.5, (this.used + need) * 1.25)));
    const grown = Buffer.allocUnsafeSlow(size);
    let at = 0;
    for (let i = 0; i < this.length; i += 1) {
      const slot = this.slot(i);
      const offset = this.offsets[slot]!;
      this.bytes.copy(grown, at, offset, offset + this.lengths[slot]!);
      this.offsets[slot] = at;
      at += this.lengths[slot]!;
    }
    this.bytes = grown;
    this.tail = at;
  }
}
