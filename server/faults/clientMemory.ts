// What the fault engine remembers per client (a throttling bucket, a pending Retry-After), kept within bounds
// however many clients come: a client key may be a client-request-id, which the Graph SDKs make new for every
// request, so a run of a million requests can name a million clients.
// Two bounds, each costing a request a constant share of the work:
// - past `sweepAbove` entries, a new client first forgets the entries that are stale (the same as none), but only
//   once as many new clients came as the last such walk kept: walking every entry for every new client made
//   100,000 clients cost 1.4 ms a request, and the entries grew without end while none was stale yet;
// - at `max` entries, a new client forgets the oldest one (the first added).

export class ClientMemory<V> {
  private readonly entries = new Map<string, V>();
  /** New keys since the last walk (every key, before the first). */
  private added = 0;
  /** The entries the last walk kept: as many new keys come before the next one. */
  private walkAfter = 0;

  constructor(
    /** Entries from which a new client first forgets the stale ones. */
    readonly sweepAbove: number,
    /** Entries kept at most. */
    readonly max: number,
    /** Whether an entry is the same as none (a full bucket, an expired wait), at `now`. */
    private readonly stale: (value: V, now: number) => boolean,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: string): V | undefined {
    return this.entries.get(key);
  }

  /** Keeps `value` for `key`; a new key first makes room as the bounds say. */
  set(key: string, value: V, now: number): void {
    if (!this.entries.has(key)) {
      if (this.entries.size >= this.sweepAbove && this.added >= this.walkAfter) {
        for (const [k, v] of this.entries) if (this.stale(v, now)) this.entries.delete(k);
        this.added = 0;
        this.walkAfter = this.entries.size;
      }
      if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!);
      this.added += 1;
    }
    this.entries.set(key, value);
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
    this.added = 0;
    this.walkAfter = 0;
  }

  keys(): IterableIterator<string> {
    return this.entries.keys();
  }
}
