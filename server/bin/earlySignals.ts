// The stop signals that come before the command line's own handlers (stopSignals.ts) exist: those are installed once
// the bundle of some sixty modules has been compiled and run, some 100 ms into a start, and a signal before them took
// its default action (SIGTERM: exit 143) where docs/running.md promises a clean stop. The entry (cliEntry.ts) notes
// them from its first statement; stopOnSignals takes the first one over. The two are bundled apart (the entry and
// dist/server/cli.cjs), so the note is kept on globalThis under a registered symbol. SIGUSR1 is noted as well: its
// default action opens Node's inspector (stopSignals.ts says why it must not), and a listener is what prevents it.
export const STOP_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGUSR2'] as const;

interface EarlySignals {
  first: string | undefined;
  inspectorAsked: boolean;
  readonly listeners: ReadonlyArray<readonly [string, () => void]>;
}

/** What came before the command line's own listeners: the first stop signal, and whether a SIGUSR1 did. */
interface NotedSignals {
  readonly stop: string | undefined;
  readonly inspectorAsked: boolean;
}

const KEY = Symbol.for('graph-accesspackages-emulator.earlySignals');
const holder = globalThis as { [KEY]?: EarlySignals };

/** Notes the first stop signal (and any SIGUSR1) until takeEarlySignals; the process then no longer ends at one. */
export function noteEarlySignals(): void {
  const note = (signal: string) => () => {
    early.first ??= signal;
  };
  const askInspector = () => {
    early.inspectorAsked = true;
  };
  const early: EarlySignals = {
    first: undefined,
    inspectorAsked: false,
    listeners: [...STOP_SIGNALS.map((signal) => [signal, note(signal)] as const), ['SIGUSR1', askInspector]],
  };
  for (const [signal, listener] of early.listeners) process.on(signal, listener);
  holder[KEY] = early;
}

/**
 * The signals noted before now; the noting stops. Called once the caller's own listeners are on, so that a signal
 * is never left to its default action in between.
 */
export function takeEarlySignals(): NotedSignals {
  const early = holder[KEY];
  if (early === undefined) return { stop: undefined, inspectorAsked: false };
  delete holder[KEY];
  for (const [signal, listener] of early.listeners) process.removeListener(signal, listener);
  return { stop: early.first, inspectorAsked: early.inspectorAsked };
}
