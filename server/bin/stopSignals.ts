// Signals that stop the command line, from the start on: SIGTERM (docker stop, an orchestrator), SIGINT (Ctrl-C),
// SIGHUP (the terminal or ssh session closing) and SIGUSR2 (nodemon restarting its child), whose default actions
// would end the process at once, without the final snapshot or the last log lines. Before the emulator serves, a
// signal stops the start: the data file is closed once it is open (its journal written into the snapshot), the
// port is never listened on, exit 0. SIGUSR1 is noted and ignored: on it Node would open its inspector on
// 127.0.0.1:9229, where any user of the machine could run code as this one.
import type { RunningEmulator } from '../emulator.js';
import { STOP_SIGNALS, takeEarlySignals } from './earlySignals.js';
import { say } from './output.js';
import { stdoutBacklogWritten } from '../logger.js';

interface StopSignals {
  /** Aborted, with the signal's name as its reason, when a signal comes before the emulator serves. */
  readonly startup: AbortSignal;
  /** Whether `err`, from the start, is that abort: the start stopped as asked, not failed. */
  stoppedStart(err: unknown): boolean;
  /**
   * The emulator is listening: a signal from now on stops it gracefully. False when one came during the start after
   * its last look at the signal: the emulator is stopping already, and must not be announced.
   */
  serving(emulator: RunningEmulator): boolean;
}

export function stopOnSignals(): StopSignals {
  const starting = new AbortController();
  let emulator: RunningEmulator | undefined;
  let stopping = false;
  const stop = (signal: string) => {
    // A second signal while stopping (Ctrl-C twice, npm and the terminal both forwarding one) must not kill the
    // process halfway through its flush: it is noted and the stop goes on.
    if (stopping) {
      say(`${signal}: already stopping`);
      return;
    }
    stopping = true;
    if (emulator === undefined) {
      say(`${signal} during start-up: stopping before serving`);
      starting.abort(signal);
      return;
    }
    stopServing(emulator, signal);
  };
  // Installed before the data file is opened: a start that takes a while (a large file, a journal to replay) is
  // stopped as cleanly as a running emulator, not by the signal's default action.
  for (const signal of STOP_SIGNALS) process.on(signal, () => stop(signal));
  const ignoreInspector = () => say('SIGUSR1: ignored; the emulator opens no inspector on a signal (run it with node --inspect to debug it)');
  process.on('SIGUSR1', ignoreInspector);
  // One that came before these listeners, noted by the entry (earlySignals.ts), stops the start as well.
  const early = takeEarlySignals();
  if (early.inspectorAsked) ignoreInspector();
  if (early.stop !== undefined) stop(early.stop);
  return {
    startup: starting.signal,
    stoppedStart(err) {
      if (!starting.signal.aborted || err !== starting.signal.reason) return false;
      say('stopped before serving');
      return true;
    },
    serving(running) {
      emulator = running;
      if (!starting.signal.aborted) return true;
      stopServing(running, undefined);
      return false;
    },
  };
}

/** Stops serving, flushes, exits 0 (1 when the last snapshot cannot be written). */
function stopServing(emulator: RunningEmulator, signal: string | undefined): void {
  // close() stops the listener synchronously: once this line is out, new connections are refused.
  const closing = emulator.close();
  if (signal !== undefined) say(`${signal}: finishing in-flight requests and flushing data`);
  closing.then(
    async () => {
      say(signal === undefined ? 'stopped before serving' : 'stopped: data flushed');
      await stdoutBacklogWritten();
      process.exit(0);
    },
    (err: unknown) => {
      process.stderr.write(`error while stopping: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
