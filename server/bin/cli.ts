#!/usr/bin/env node
// The command line: read flags and environment, open the store, listen, and stop cleanly on signals (stopSignals.ts).
import { ADMIN_PATH } from '../adminPath.js';
import { helpText, loadConfig } from '../config.js';
import { ConfigError } from '../errors.js';
import { type RunningEmulator, listen } from '../emulator.js';
import { boundHeapGrowth, boundHeapGrowthWhenLarge, dataFileBytes, largeDataFile } from '../heap.js';
import { writesJson } from '../logger.js';
import { PACKAGE_VERSION } from '../version.js';
import { capYoungGeneration } from '../youngGeneration.js';
import { exitOnKnownError } from './exit.js';
import { refuseOptionsNpmTook } from './npmTookOptions.js';
import { ignoreOutputErrors, say, sayAsJson } from './output.js';
import { stopOnSignals } from './stopSignals.js';

async function main(): Promise<void> {
  ignoreOutputErrors();
  refuseOptionsNpmTook(process.env);
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
  refuseWithoutCodeGeneration();
  sayAsJson(writesJson(config.logFormat));
  const signals = stopOnSignals();
  // Before the data file is read: loading 100,000 records is itself what grows the heap first.
  const bytes = dataFileBytes(config.dataFile);
  if (!boundHeapGrowth(bytes)) boundHeapGrowthWhenLarge();
  if (largeDataFile(bytes)) capYoungGeneration();
  let emulator: RunningEmulator;
  try {
    emulator = await listen(config, {}, signals.startup);
  } catch (err) {
    if (signals.stoppedStart(err)) process.exit(0);
    throw err;
  }
  // Graceful stop first, then the announcement: whoever reads "listening" and sends SIGTERM at once must reach it.
  if (!signals.serving(emulator)) return;
  say(`Graph accessPackages emulator listening on ${emulator.url}/beta (bound to ${emulator.boundAddress}; data: ${emulator.store.location})`, {
    url: emulator.url,
  });
  // For a person at a terminal, who otherwise has the README to learn both; a JSON reader has the url field.
  if (!writesJson(config.logFormat)) say(`Admin page: ${emulator.url}${ADMIN_PATH}/ (Ctrl-C stops the emulator)`);
  if (emulator.caFile)
    say(`HTTPS with a local CA: trust it with NODE_EXTRA_CA_CERTS=${emulator.caFile} (or import it into your browser or OS)`, { caFile: emulator.caFile });
}

/**
 * The JSON Schema checker (Ajv) compiles each schema into a function: under `--disallow-code-generation-from-strings`
 * (in NODE_OPTIONS, say) the emulator started and served reads, and every write then failed with a 500.
 */
function refuseWithoutCodeGeneration(): void {
  try {
    new Function('');
  } catch {
    throw new ConfigError(
      'Node runs with --disallow-code-generation-from-strings (in NODE_OPTIONS?): the emulator checks request bodies with functions it compiles, and cannot run so. Start it without that flag.',
    );
  }
}

void main().catch((err: unknown) => exitOnKnownError(err));
