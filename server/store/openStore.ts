import { FileStore } from './fileStore.js';
import { MemoryStore } from './memoryStore.js';
import type { Store } from './types.js';

export const MEMORY_LOCATION = ':memory:';

/** The store for a DATA_FILE setting: `:memory:` for the in-memory store, anything else is a file path. */
export async function openStore(dataFile: string): Promise<Store & { fresh: boolean }> {
  if (dataFile === MEMORY_LOCATION) return Object.assign(new MemoryStore(), { fresh: true });
  return FileStore.open(dataFile);
}
