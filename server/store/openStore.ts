import { ConfigError } from '../errors.js';
import { FileStore, type FileStoreOptions } from './fileStore.js';
import { MemoryStore } from './memoryStore.js';
import type { Store } from './store.js';

export const MEMORY_LOCATION = ':memory:';

/**
 * Why a data file cannot be kept on this platform, or undefined. Its lock is a Unix socket beside it (lock.ts):
 * on Windows, Node listens on named pipes only (https://nodejs.org/api/net.html#identifying-paths-for-ipc-connections),
 * and a start would fail at the lock with an EACCES that reads like a permissions problem. Nothing on Windows is
 * tested; docs/running.md ("Platforms") says what runs there.
 */
export function dataFileRefusal(platform: NodeJS.Platform = process.platform): string | undefined {
  if (platform !== 'win32') return undefined;
  return (
    'A data file cannot be kept on Windows: its lock is a Unix socket, which Windows does not have. ' +
    'Keep the data in memory (DATA_FILE=:memory:), or run the emulator in WSL2 (in its Linux file system, such as ~/) ' +
    'or with docker-compose (docs/running.md, "Platforms").'
  );
}

/** The store for a DATA_FILE setting: `:memory:` for the in-memory store, anything else is a file path. */
export async function openStore(
  dataFile: string,
  options: FileStoreOptions = {},
  platform: NodeJS.Platform = process.platform,
): Promise<Store & { fresh: boolean }> {
  if (dataFile === MEMORY_LOCATION) return Object.assign(new MemoryStore(), { fresh: true });
  const refusal = dataFileRefusal(platform);
  if (refusal !== undefined) throw new ConfigError(refusal);
  return FileStore.open(dataFile, options);
}
