#!/usr/bin/env node
// The command line: read flags and environment, open the store, listen, and stop cleanly on signals.
import { helpText, loadConfig } from '../config.js';
import { listen } from '../emulator.js';
import { boundHeapGrowth, boundHeapGrowthWhenLarge, dataFileBytes, largeDataFile } from '../heap.js';
import { PACKAGE_VERSION } from '../version.js';
import { capYoungGeneration } from '../youngGeneration.js';
import { exitOnKnownError } from './exit.js';

async function main(): Promise<void> {
  const loaded = loadConfig(process.argv.slice(2), process.env);
  if (loaded.help) {
    process.stdout.write(`${helpText()}\n`);
    return;
  }
  if (loaded.version) {
    process.stdout.write(`${PACKAGE_VERSION}\n`);
    return;
  }
  const { config } = loaded;
  // Before the data file is read: loading 100,000 records is itself what grows the heap first.
  const bytes = dataFileBytes(config.dataFile);
  if (!boundHeapGrowth(bytes)) boundHeapGrowthWhenLarge();
  if (largeDataFile(bytes)) capYoungGeneration();
  const emulator = await listen(config);

  let stopping = false;
  const stop = (signal: string) => {
    // A second signal while stopping (Ctrl-C twice, npm and the terminal both forwarding one) must not kill the
    // process halfway through its flush: it is noted and the stop goes on.
    if (stopping) {
      process.stdout.write(`${signal}: already stopping\n`);
      return;
    }
    stopping = true;
    // close() stops the listener synchronously: once this line is out, new connections are refused.
    const closing = emulator.close();
    process.stdout.write(`${signal}: finishing in-flight requests and flushing data\n`);
    closing.then(
      () => {
        process.stdout.write('stopped: data flushed\n');
        process.exit(0);
      },
      (err: unknown) => {
        process.stderr.write(`error while stopping: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exit(1);
      },
    );
  };
  // Handlers first, then the announcement: whoever reads "listening" and sends SIGTERM at once (a test,
  // an orchestrator) must reach the graceful stop, not the default action that kills without flushing.
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.stdout.write(
    `Graph accessPackages emulator listening on ${emulator.url}/beta (bound to ${emulator.boundAddress}; data: ${emulator.store.location})\n`,
  );
  if (emulator.caFile) {
    process.stdout.write(`HTTPS with a local CA: trust it with NODE_EXTRA_CA_CERTS=${emulator.caFile} (or import it into your browser or OS)\n`);
  }
}

void main().catch((err: unknown) => exitOnKnownError(err));
