// jest's Node environment, which also ends what a test file left running: a child it started (childrenLeft.ts) and
// did not see exit, because a test failed between its spawn and its kill. Teardown comes after the file's afterAll
// hooks, which stop the children they own in their own way first.
// jest loads this file on its own, without the test files' module mapping: it imports nothing of the project, and
// names the global that childrenLeft.ts keeps the children on itself (tests/process/childrenLeft.test.ts checks both).
import asyncHooks from 'node:async_hooks';
import type { ChildProcess } from 'node:child_process';
import { TestEnvironment } from 'jest-environment-node';

// jest-circus makes an AsyncLocalStorage in every test file it runs (its test execution context) and never disables
// it. On Node 20 every enabled storage is called on the creation of every promise and other async resource in the
// process, and the list only grows: a worker's hundredth file paid for a hundred storages on each promise (in one
// in-band run of tests/http, 14 % of the CPU went to AsyncLocalStorage's `_propagate`). The storages made while a
// file runs are disabled when it ends. (Node 24, whose storages use AsyncContextFrame, has no such per-promise cost.)
// Node 22.23, 24.22 and 26 make the class a getter of the module, which an assignment cannot replace (every test file
// failed to run): the property is defined over for the file's run, then given back as it was.
const { AsyncLocalStorage } = asyncHooks;
const own = Object.getOwnPropertyDescriptor(asyncHooks, 'AsyncLocalStorage')!;
let made: InstanceType<typeof AsyncLocalStorage>[] = [];
class TrackedStorage<T> extends AsyncLocalStorage<T> {
  constructor() {
    super();
    made.push(this);
  }
}

export default class EmulatorTestEnvironment extends TestEnvironment {
  override async setup(): Promise<void> {
    made = [];
    Object.defineProperty(asyncHooks, 'AsyncLocalStorage', { value: TrackedStorage, writable: true, enumerable: true, configurable: true });
    await super.setup();
  }

  override async teardown(): Promise<void> {
    const left = (this.global as { __testChildrenLeft?: Set<ChildProcess> }).__testChildrenLeft;
    for (const child of left ?? []) child.kill('SIGKILL');
    Object.defineProperty(asyncHooks, 'AsyncLocalStorage', own);
    for (const storage of made.splice(0)) storage.disable();
    await super.teardown();
  }
}
