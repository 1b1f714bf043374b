// jest `globalTeardown`: stops the emulator globalSetup started.
import { teardown } from './index.js';

export default async function globalTeardown(): Promise<void> {
  await teardown();
}
