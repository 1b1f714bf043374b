// Start and stop a listening emulator from a Config: shared by the command line and by library users.
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { createApp } from './app.js';
import type { Config } from './config.js';
import { FaultEngine } from './faults/engine.js';
import { loadFaultsFile } from './faults/file.js';
import { openStore } from './store/openStore.js';
import type { Store } from './store/types.js';

export interface RunningEmulator {
  readonly url: string;
  readonly port: number;
  readonly store: Store;
  readonly server: Server;
  /** Stop accepting, let in-flight requests finish (at most `graceMs`), flush the store. */
  close(graceMs?: number): Promise<void>;
}

export async function listen(config: Config): Promise<RunningEmulator> {
  // Read before the store is opened: a bad faults file must not leave a lock or a data file behind.
  const faultSettings = config.faultsFile === undefined ? {} : loadFaultsFile(config.faultsFile);
  const faults = new FaultEngine({ ...faultSettings, seed: config.seed });
  const store = await openStore(config.dataFile);
  const app = createApp({
    faults,
    store,
    auth: config.auth,
    corsOrigins: config.corsOrigins,
    bodyLimit: config.bodyLimit,
    pageSize: config.pageSize,
    baseUrl: config.baseUrl,
  });
  const server = createServer(app);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => {
        server.removeListener('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await store.close();
    throw err;
  }
  const { port } = server.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    store,
    server,
    close(graceMs = 10_000) {
      closing ??= (async () => {
        const drained = new Promise<void>((resolve) => server.close(() => resolve()));
        // Hung and delayed requests would otherwise hold the drain for the whole grace period.
        faults.close();
        server.closeIdleConnections();
        const timer = setTimeout(() => server.closeAllConnections(), graceMs);
        await drained;
        clearTimeout(timer);
        await store.close();
      })();
      return closing;
    },
  };
}
