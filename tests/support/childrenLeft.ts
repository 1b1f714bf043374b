// The children a test file started that are still running, kept on the file's own global object, where its test
// environment (testEnvironment.ts) finds them once the file's afterAll hooks have run.
//
// Why not a `process.on('exit')` handler in the file: the `process` a test file sees is jest's copy of the real one
// (jest-util's createProcessObject), an emitter of its own that Node never tells of the worker's exit, so such a
// handler never ran, and a test that failed between a spawn and its kill left its emulator running, perhaps stopped
// by SIGSTOP, after the whole run.
import type { ChildProcess } from 'node:child_process';

const KEY = '__testChildrenLeft';

/** The set of `global` (a test file's global object) that holds its children still running. */
function childrenLeft(global: object): Set<ChildProcess> {
  const holder = global as { [KEY]?: Set<ChildProcess> };
  holder[KEY] ??= new Set();
  return holder[KEY];
}

/** Keeps `child` in the file's set until it exits: if it outlives the file's hooks, the environment kills it. */
export function tracked<T extends ChildProcess>(child: T): T {
  const left = childrenLeft(globalThis);
  left.add(child);
  child.once('exit', () => left.delete(child));
  return child;
}
