// The admin page tests' set-up in jest: a group that says in its name it was skipped when Chromium is missing, and
// one browser and one emulator per test file (adminPage.ts has what drives the page).
import { existsSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe } from '@jest/globals';
import type { Browser } from 'playwright-core';
import { CHROMIUM, launchChromium, type OpenOptions, openPage, type WatchedPage } from './adminPage.js';
import type { RealServer } from './realServer.js';

/**
 * Debian's chromium (`.ci/run` installs it: `apt-get install chromium`). Without it the page cannot be driven here,
 * and each group says so in its name instead of failing the suite of someone who has not installed it.
 */
export const hasChromium = existsSync(CHROMIUM);
export const inChromium = (name: string, body: () => void) =>
  hasChromium ? describe(name, body) : describe.skip(`${name} (skipped: no Chromium at ${CHROMIUM}; apt-get install chromium)`, body);

/**
 * One browser and one emulator on a real socket for a test file (started in its beforeAll, closed in its afterAll):
 * `open` gives a watched page in a fresh context, closed when the test ends, `base()` the emulator's origin.
 */
export function browserAndEmulator(start: () => Promise<RealServer>): {
  open(path?: string, options?: Omit<OpenOptions, 'path'>): Promise<WatchedPage>;
  base(): string;
  /** A watched page of another emulator (at `origin`) in the file's browser, closed when the test ends as `open`'s. */
  openAt(origin: string, path?: string): Promise<WatchedPage>;
} {
  let browser: Browser | undefined;
  let emulator: RealServer | undefined;
  let origin = '';
  const opened: WatchedPage[] = [];
  beforeAll(async () => {
    if (!hasChromium) return;
    browser = await launchChromium();
    emulator = await start();
    origin = `http://127.0.0.1:${emulator.port}`;
  }, 60_000);
  // Each test's pages closed as it ends: a page left open in a view that polls (the journal every second, the rules
  // every two) would go on asking the emulator, and drawing, until the file ends.
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((p) => p.close()));
  });
  afterAll(async () => {
    await browser?.close();
    await emulator?.close();
  });
  return {
    async open(path = '/_emulator/', options = {}) {
      const watched = await openPage(browser!, origin, { path, ...options });
      opened.push(watched);
      return watched;
    },
    base: () => origin,
    async openAt(other, path = '/_emulator/') {
      const watched = await openPage(browser!, other, { path });
      opened.push(watched);
      return watched;
    },
  };
}
