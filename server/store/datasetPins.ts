// Which stored datasets (datasetFiles.ts) the running file store keeps on disk, beyond its baselines': those a reset's
// entry in the journal names, until a durable snapshot covers the journal file that holds the entry (a restart would
// replay it), and each tenant's last reset's, so that the next reset to the same fixtures, and a new tenant added
// with them, write nothing but an entry.
import type { DatasetFiles } from './datasetFiles.js';

export class DatasetPins {
  /** Datasets named by the entries of the current journal file, then by each retired one. */
  private current: string[] = [];
  private readonly retired = new Map<number, string[]>();
  /** Each tenant's last reset's dataset. */
  private readonly lastReset = new Map<string, string>();

  constructor(private readonly files: DatasetFiles) {}

  /** A reset's entry naming `id` is about to be appended to the current journal file. */
  named(id: string): void {
    this.current.push(id);
  }

  /** The reset's entry is durable: `id` is its tenant's last reset's dataset, in place of the one before. */
  resetTo(tenant: string, id: string): void {
    this.files.pin(id);
    this.forget(tenant);
    this.lastReset.set(tenant, id);
  }

  /** The tenant is gone: its last reset's dataset is no longer kept for it. */
  forget(tenant: string): void {
    const last = this.lastReset.get(tenant);
    if (last !== undefined) this.files.unpin(last);
    this.lastReset.delete(tenant);
  }

  /** The last snapshot holds everything: no tenant's last reset need be kept for the next. */
  forgetResets(): void {
    for (const id of this.lastReset.values()) this.files.unpin(id);
    this.lastReset.clear();
  }

  /**
   * Runs the journal's rotation (`rotate` resolves with the generation it retired): the datasets named so far go with
   * the file it retires; a failed one leaves them with the current file.
   */
  async rotating(rotate: () => Promise<number>): Promise<number> {
    // The entries appended before the rotation's barrier are those of the file it retires.
    const named = this.current;
    this.current = [];
    try {
      const generation = await rotate();
      this.retired.set(generation, named);
      return generation;
    } catch (err) {
      this.current = [...named, ...this.current];
      throw err;
    }
  }

  /** A durable snapshot covers the retired files up to `generation`: no restart replays their entries any more. */
  covered(generation: number): void {
    for (const [retired, ids] of this.retired) {
      if (retired > generation) continue;
      for (const id of ids) this.files.unpin(id);
      this.retired.delete(retired);
    }
  }
}
