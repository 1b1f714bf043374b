// One emulator for a whole jest run: jest's globalSetup starts it before the first test file, every test
// reads its URL from GRAPH_EMULATOR_URL, and globalTeardown stops it after the last one.
//
//   globalSetup: 'graph-accesspackages-emulator/jest/globalSetup',
//   globalTeardown: 'graph-accesspackages-emulator/jest/globalTeardown',
//
// The package is imported by its own name, so that the ES module build uses the ES module library and the
// CommonJS build the CommonJS one.
import { type EmulatorOptions, type RunningEmulator, startEmulator } from 'graph-accesspackages-emulator';

/** The variable that carries the emulator's base URL (`http://127.0.0.1:<port>`, Graph paths start with `/beta`). */
export const URL_VARIABLE = 'GRAPH_EMULATOR_URL';

// globalSetup and globalTeardown run in jest's main process, but may be loaded as two different module
// instances (one CommonJS, one ES module): the running emulator is kept where both can find it.
const RUNNING = Symbol.for('graph-accesspackages-emulator/jest');
type Holder = { [RUNNING]?: RunningEmulator };

/**
 * Starts one emulator (the library defaults: a free port on 127.0.0.1, data in memory, no logs, empty unless
 * `options.fixtures` says otherwise) and puts its URL in `process.env.GRAPH_EMULATOR_URL`, which jest's
 * workers inherit. For a custom globalSetup: `module.exports = () => setup({ fixtures: 'small' })`.
 */
export async function setup(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const holder = globalThis as Holder;
  // Watch mode runs setup before every run: the previous run's emulator is stopped first.
  await teardown();
  const emulator = await startEmulator(options);
  holder[RUNNING] = emulator;
  process.env[URL_VARIABLE] = emulator.url;
  return emulator;
}

/** Stops the emulator `setup` started (in-flight requests finish first) and removes the variable. */
export async function teardown(): Promise<void> {
  const holder = globalThis as Holder;
  const emulator = holder[RUNNING];
  if (emulator === undefined) return;
  delete holder[RUNNING];
  delete process.env[URL_VARIABLE];
  await emulator.close();
}
