// jest `globalSetup`: starts one emulator with the library defaults and sets GRAPH_EMULATOR_URL.
import { setup } from './index.js';

export default async function globalSetup(): Promise<void> {
  await setup();
}
