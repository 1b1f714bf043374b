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
// The last setup or teardown asked, kept beside it for the same reason.
const TURN = Symbol.for('graph-accesspackages-emulator/jest-turn');
type Holder = { [RUNNING]?: RunningEmulator; [TURN]?: Promise<unknown> };

/**
 * Runs `step` once every setup and teardown asked before it has ended: two setups at once would each find nothing
 * to stop and start one, and the one the variable does not name would run on unseen, holding jest's process open.
 */
function inTurn<T>(step: () => Promise<T>): Promise<T> {
  const holder = globalThis as Holder;
  const turn = (holder[TURN] ?? Promise.resolve()).then(step);
  holder[TURN] = turn.catch(() => undefined);
  return turn;
}

/**
 * Starts one emulator (the library defaults: a free port on 127.0.0.1, data in memory, no logs, empty unless
 * `options.fixtures` says otherwise) and puts its URL in `process.env.GRAPH_EMULATOR_URL`, which jest's
 * workers inherit. For a custom globalSetup: `module.exports = () => setup({ fixtures: 'small' })`.
 */
export function setup(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  return inTurn(async () => {
    // Watch mode runs setup before every run: the previous run's emulator is stopped first.
    await stop();
    const emulator = await startEmulator(options);
    (globalThis as Holder)[RUNNING] = emulator;
    process.env[URL_VARIABLE] = emulator.url;
    return emulator;
  });
}

/** Stops the emulator `setup` started (in-flight requests finish first) and removes the variable. */
export function teardown(): Promise<void> {
  return inTurn(stop);
}

async function stop(): Promise<void> {
  const holder = globalThis as Holder;
  const emulator = holder[RUNNING];
  if (emulator === undefined) return;
  delete holder[RUNNING];
  delete process.env[URL_VARIABLE];
  await emulator.close();
}
