// What a killed process leaves of its file store, for tests that reopen the files after a "crash" in the same
// process: nothing more runs (no compaction, whose retry would otherwise rotate the journal into a file nobody
// closes), nothing is flushed, and the kernel lets go of the lock and the journal's descriptor.
import type { FileStore } from '../../server/store/fileStore.js';

interface StoreInternals {
  watch: { stop(): Promise<void> };
  compactions: { stop(): Promise<void> };
  lock: { release(): Promise<void> };
  journal: { current: { close(): Promise<void> } };
}

/** Stops the store's background work and releases its lock; the journal's descriptor stays open. */
export async function stopAndUnlock(store: FileStore): Promise<void> {
  const internals = store as unknown as StoreInternals;
  // The look at the files every half second rewrites what it finds missing: a dead process does not.
  await internals.watch.stop();
  await internals.compactions.stop();
  await internals.lock.release();
}

/** The journal's descriptor closed, as the dead process's exit closes it. */
export async function closeJournalHandle(store: FileStore): Promise<void> {
  await (store as unknown as StoreInternals).journal.current.close();
}

/** All of a kill at once. */
export async function kill(store: FileStore): Promise<void> {
  await stopAndUnlock(store);
  await closeJournalHandle(store);
}
