// Bytes that all requests at once may hold of one kind of memory: request bodies being received (bodyBudget.ts),
// answers handed to Node that their clients have not taken yet (answerBudget.ts). A plain counter, so that taking
// and giving back cost an addition on every request.

export class ByteBudget {
  #inUse = 0;
  constructor(readonly total: number) {}

  /** Bytes held now. */
  get inUse(): number {
    return this.#inUse;
  }

  get left(): number {
    return this.total - this.#inUse;
  }

  /** Takes `bytes` when they fit in what is left, nothing otherwise. */
  take(bytes: number): boolean {
    if (bytes > this.left) return false;
    this.#inUse += bytes;
    return true;
  }

  /** Takes `bytes` whether they fit or not: memory already spent, which can only be counted. */
  add(bytes: number): void {
    this.#inUse += bytes;
  }

  give(bytes: number): void {
    this.#inUse -= bytes;
  }
}
