// A hand-off for tests that act while a request waits out a fault's delay: every delay listens to its engine's stop
// signal for as long as it waits (server/http/faultInjection.ts), so the first such listener marks the moment a
// request has reached its delay.
import type { FaultEngine } from '../../server/faults/engine.js';

/**
 * Resolves when the next request starts waiting out a delay of `faults` (a latency rule or `X-Emulator-Fault: delay=`);
 * rejects, saying so, when none has within `withinMs`.
 */
export function delayStarted(faults: FaultEngine, withinMs = 10_000): Promise<void> {
  const signal = faults.signal;
  return new Promise((resolve, reject) => {
    const add = signal.addEventListener.bind(signal);
    const timer = setTimeout(() => {
      Reflect.deleteProperty(signal, 'addEventListener');
      reject(new Error(`no request started a fault delay within ${withinMs} ms`));
    }, withinMs);
    signal.addEventListener = ((...args: Parameters<AbortSignal['addEventListener']>) => {
      add(...args);
      const [type] = args;
      if (type !== 'abort') return;
      // The signal's own method again, from its prototype.
      Reflect.deleteProperty(signal, 'addEventListener');
      clearTimeout(timer);
      resolve();
    }) as AbortSignal['addEventListener'];
  });
}
