// jest's Node environment, which also ends what a test file left running: a child it started (childrenLeft.ts) and
// did not see exit, because a test failed between its spawn and its kill. Teardown comes after the file's afterAll
// hooks, which stop the children they own in their own way first.
// jest loads this file on its own, without the test files' module mapping: it imports nothing of the project, and
// names the global that childrenLeft.ts keeps the children on itself (tests/process/childrenLeft.test.ts checks both).
import type { ChildProcess } from 'node:child_process';
import { TestEnvironment } from 'jest-environment-node';

export default class EmulatorTestEnvironment extends TestEnvironment {
  override async teardown(): Promise<void> {
    const left = (this.global as { __testChildrenLeft?: Set<ChildProcess> }).__testChildrenLeft;
    for (const child of left ?? []) child.kill('SIGKILL');
    await super.teardown();
  }
}
