// Memory held per record. Records parsed from a data file or a journal each get their own copy of every
// string, although some properties take few distinct values across a collection: the catalog a package
// belongs to, who created or last modified it, a catalog's status and type. Pointing equal values at one
// string makes a record markedly smaller (bench/README.md, "Memory at 100,000 records"), for a map lookup
// per property as a record enters the store. A record never modified also shares its modifiedDateTime with
// its createdDateTime. Values stay equal, so nothing observable
// changes: the store only swaps one string for an identical one.

/** Properties whose values repeat across records (those that are absent on a type are skipped). */
const REPEATING = ['catalogId', 'createdBy', 'modifiedBy', 'catalogStatus', 'catalogType'] as const;

export class SharedStrings {
  private readonly pool = new Map<string, string>();

  /** Distinct values kept; past it, values already pooled are still shared, new ones are not pooled. */
  constructor(private readonly limit = 10_000) {}

  /** Values that were found in the pool: how much pooling pays. */
  hits = 0;

  share(value: string): string {
    const pooled = this.pool.get(value);
    if (pooled !== undefined) {
      this.hits += 1;
      return pooled;
    }
    if (this.pool.size < this.limit) this.pool.set(value, value);
    return value;
  }

  /** Point the record's repeating values at the pooled strings, in place; returns the record. */
  compact<T extends object>(record: T): T {
    const fields = record as Record<string, unknown>;
    for (const name of REPEATING) {
      const value = fields[name];
      if (typeof value === 'string') fields[name] = this.share(value);
    }
    if (fields['modifiedDateTime'] === fields['createdDateTime']) fields['modifiedDateTime'] = fields['createdDateTime'];
    return record;
  }

  get size(): number {
    return this.pool.size;
  }
}
