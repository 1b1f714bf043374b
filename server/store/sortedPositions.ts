// An order over a collection's positions, kept up to date on every write: what lets a page ordered by a
// property start where it starts instead of scanning every record. The positions are kept in blocks of a
// few hundred, sorted by the records they point at: a write finds its block by binary search and moves
// at most a block's worth of entries (a flat sorted array would move half the collection, 100,000
// records' worth at 100,000). Reading by rank walks the blocks, remembering the last block visited, so a
// walk forwards or backwards costs O(1) per step.

/** Entries per block before it is split in two; a built index starts with blocks half this size. */
const BLOCK = 512;

export class SortedPositions {
  private blocks: number[][] = [];
  /** starts[b]: the rank of blocks[b][0]; rebuilt on the first read after a write. */
  private starts: number[] = [];
  private startsValid = true;
  private count = 0;
  /** The block the last read fell in: a walk stays within it for most steps. */
  private lastBlock = 0;

  /**
   * `compare` orders positions by the records they point at, totally (ties broken by id). The record at
   * a position must not change while the position is in the index: a write removes it first.
   */
  constructor(
    private readonly compare: (a: number, b: number) => number,
    positions: number[],
  ) {
    positions.sort(compare);
    for (let at = 0; at < positions.length; at += BLOCK / 2) this.blocks.push(positions.slice(at, at + BLOCK / 2));
    this.count = positions.length;
    this.startsValid = false;
  }

  get size(): number {
    return this.count;
  }

  add(position: number): void {
    this.count += 1;
    this.startsValid = false;
    if (this.blocks.length === 0) {
      this.blocks.push([position]);
      return;
    }
    const b = this.blockFor(position);
    const block = this.blocks[b]!;
    block.splice(this.offsetIn(block, position), 0, position);
    if (block.length >= BLOCK) this.blocks.splice(b + 1, 0, block.splice(BLOCK / 2));
  }

  /** Remove a position; the record it points at must still be the one it was added with. */
  remove(position: number): void {
    const b = this.blockFor(position);
    const block = this.blocks[b];
    const at = block === undefined ? -1 : this.offsetIn(block, position);
    if (block === undefined || block[at] !== position) throw new Error(`position ${position} is not in the index`);
    block.splice(at, 1);
    if (block.length === 0) this.blocks.splice(b, 1);
    this.count -= 1;
    this.startsValid = false;
  }

  /** Rewrite every position through `moved` (old position -> new), after the collection was compacted. */
  renumber(moved: ArrayLike<number>): void {
    for (const block of this.blocks) for (let i = 0; i < block.length; i++) block[i] = moved[block[i]!]!;
  }

  /** The position of rank `rank` (0 <= rank < size). */
  at(rank: number): number {
    const starts = this.rankStarts();
    let b = this.lastBlock;
    if (b >= this.blocks.length || rank < starts[b]! || rank >= starts[b]! + this.blocks[b]!.length) {
      let low = 0;
      let high = this.blocks.length - 1;
      while (low < high) {
        const mid = (low + high + 1) >>> 1;
        if (starts[mid]! <= rank) low = mid;
        else high = mid - 1;
      }
      b = low;
      this.lastBlock = b;
    }
    return this.blocks[b]![rank - starts[b]!]!;
  }

  /** The rank of the first entry for which `before` is false (`before` must be true for a prefix only). */
  partition(before: (position: number) => boolean): number {
    const starts = this.rankStarts();
    let low = 0;
    let high = this.blocks.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const block = this.blocks[mid]!;
      if (before(block[block.length - 1]!)) low = mid + 1;
      else high = mid;
    }
    if (low === this.blocks.length) return this.count;
    const block = this.blocks[low]!;
    let i = 0;
    let j = block.length;
    while (i < j) {
      const mid = (i + j) >>> 1;
      if (before(block[mid]!)) i = mid + 1;
      else j = mid;
    }
    return starts[low]! + i;
  }

  /** The block a position belongs in: the first whose last entry does not sort before it. */
  private blockFor(position: number): number {
    let low = 0;
    let high = this.blocks.length - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const block = this.blocks[mid]!;
      if (this.compare(block[block.length - 1]!, position) < 0) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  private offsetIn(block: readonly number[], position: number): number {
    let low = 0;
    let high = block.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.compare(block[mid]!, position) < 0) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  private rankStarts(): number[] {
    if (!this.startsValid) {
      this.starts.length = this.blocks.length;
      let rank = 0;
      for (let b = 0; b < this.blocks.length; b++) {
        this.starts[b] = rank;
        rank += this.blocks[b]!.length;
      }
      this.startsValid = true;
    }
    return this.starts;
  }
}
