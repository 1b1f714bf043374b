// How long a durable append takes on the disk the data files live on, before and after the run: a create is
// acknowledged only after its journal sync, so this latency bounds create throughput, and on a shared
// machine it swings with what else is writing.
import { spawnSync } from 'node:child_process';
import { open, rm } from 'node:fs/promises';
import path from 'node:path';

export interface SyncLatency {
  medianMs: number;
  p90Ms: number;
}

export async function probeSyncLatency(dir: string, count = 100): Promise<SyncLatency> {
  const file = path.join(dir, 'sync-probe');
  const handle = await open(file, 'a');
  const times: number[] = [];
  try {
    for (let i = 0; i < count; i += 1) {
      const started = performance.now();
      await handle.appendFile(`${JSON.stringify({ probe: i, at: Date.now() })}\n`);
      await handle.datasync();
      times.push(performance.now() - started);
    }
  } finally {
    await handle.close();
    await rm(file, { force: true });
  }
  times.sort((a, b) => a - b);
  return { medianMs: times[Math.floor(count / 2)]!, p90Ms: times[Math.floor(count * 0.9)]! };
}

/**
 * Write out every dirty page of the machine (sync(1)) so that the next measurement does not pay for the last
 * one's writes: json-server leaves each rewritten db.json to the kernel's writeback (the whole file per
 * create), which then competes with whatever is measured next. Where there is no `sync`, nothing.
 */
export function flushDirtyPages(): void {
  spawnSync('sync', { stdio: 'ignore' });
}
