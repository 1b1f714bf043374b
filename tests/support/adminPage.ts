// The admin page in a real headless Chromium (Debian's `chromium`, driven by playwright-core), served from dist/ui,
// which the tests' setup brings up to date (globalSetup.ts): one browser per test file, a page that records every
// console error, script error and request outside the emulator, and what each view offers a person, by its labels
// and roles. Tests read as "fill this, press that". Nothing here needs jest: the benchmark of the page
// (bench/adminPage.ts) runs it on plain Node; the test files' set-up is adminPageSuite.ts.
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Browser, type Locator, type Page, type Request, chromium } from 'playwright-core';
import { ROOT } from './childProcess.js';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
// Headless as root in a container, and no traffic of Chromium's own: the machine has no network, and the page
// must not need one (a request to anywhere but the emulator fails the test).
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

export interface WatchedPage {
  page: Page;
  /** Console errors, uncaught script errors and requests that left the emulator, in the order seen. */
  problems(): string[];
  /** Requests the page sent, as `METHOD path?query`. */
  requests(): string[];
  close(): Promise<void>;
}

export interface OpenOptions {
  path?: string;
  viewport?: { width: number; height: number };
  colorScheme?: 'light' | 'dark';
}

/** A fresh browser context (its own sessionStorage) on the page, watched. */
export async function openPage(browser: Browser, base: string, options: OpenOptions = {}): Promise<WatchedPage> {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 720 },
    colorScheme: options.colorScheme ?? 'light',
    acceptDownloads: true,
  });
  // Well inside jest's timeout: a wait that fails names what it waited for.
  context.setDefaultTimeout(10_000);
  // Run through tsx (the page's benchmark), a function given to page.evaluate comes compiled by esbuild with its
  // names kept: calls to a `__name` helper that only the compiled module has, not the page.
  await context.addInitScript({ content: 'globalThis.__name ??= (fn) => fn;' });
  const page = await context.newPage();
  const problems: string[] = [];
  const sent: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const where = msg.location().url;
    problems.push(`console: ${msg.text()} (${where})`);
  });
  page.on('pageerror', (err) => problems.push(`script error: ${err.message}`));
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (url.origin !== base && url.protocol !== 'blob:') problems.push(`request outside the emulator: ${req.url()}`);
    sent.push(`${req.method()} ${url.pathname}${url.search}`);
  });
  await page.goto(`${base}${options.path ?? '/_emulator/'}`);
  return { page, problems: () => [...problems], requests: () => [...sent], close: () => context.close() };
}

/**
 * The element that has the focus as a screen reader names it: its tag and its name (aria-label, aria-labelledby,
 * its label, or its text; none for `main`, whose text is the view's); null when focus fell to the page's body.
 */
export function focusedControl(page: Page): Promise<{ tag: string; name: string } | null> {
  // Evaluated in the page, reached from an element: the tests are compiled without the DOM's types.
  return page.locator('body').evaluate((body) => {
    const doc = body.ownerDocument;
    const el = doc.activeElement;
    if (el === null || el === body) return null;
    const tag = el.tagName.toLowerCase();
    if (tag === 'main') return { tag, name: '' };
    const labelledBy = el.getAttribute('aria-labelledby');
    const labels = 'labels' in el ? (el.labels as { 0?: { textContent: string | null } } | null) : null;
    const name =
      el.getAttribute('aria-label') ??
      (labelledBy === null ? null : doc.getElementById(labelledBy)?.textContent) ??
      labels?.[0]?.textContent ??
      el.textContent ??
      '';
    return { tag, name: name.trim() };
  });
}

/** What `inPage` reaches of the page's window (the tests are compiled without the DOM's types). */
interface PageWindow {
  document: { documentElement: unknown; querySelector(selector: string): unknown };
  MutationObserver: new (callback: () => void) => { observe(target: unknown, options: Record<string, boolean>): void; disconnect(): void };
  setTimeout(callback: () => void, ms: number): unknown;
}

/**
 * Waits until a CSS selector matches an element of the page (or, with 'gone', none), looked at again in the page on
 * each change of its DOM: the wait ends with the change that meets it, where a locator's waitFor looks again after
 * 20, 50 and 100 ms, then every 500 ms, and so adds up to half a second to each wait. A wait that fails names what
 * it waited for, after 10 s as the pages' default timeout.
 */
export async function inPage(page: Page, selector: string, state: 'present' | 'gone' = 'present'): Promise<void> {
  const met = await page.evaluate(
    ({ selector, gone, timeout }) => {
      const { document, MutationObserver, setTimeout } = globalThis as unknown as PageWindow;
      const done = () => (document.querySelector(selector) === null) === gone;
      return new Promise<boolean>((resolve) => {
        if (done()) return resolve(true);
        const observer = new MutationObserver(() => {
          if (!done()) return;
          observer.disconnect();
          resolve(true);
        });
        observer.observe(document.documentElement, { subtree: true, childList: true, attributes: true, characterData: true });
        setTimeout(() => {
          observer.disconnect();
          resolve(done());
        }, timeout);
      });
    },
    { selector, gone: state === 'gone', timeout: 10_000 },
  );
  if (!met) throw new Error(`waited 10 s for ${selector} to be ${state === 'gone' ? 'gone from' : 'in'} the page`);
}

/**
 * Resolves once `count` GET requests to `path` sent from now on have ended (answered, or failed), and the page has
 * run its tasks after the last one and drawn a frame: what the page does with a poll's answer is then on screen.
 * The wait a check of "past the next poll" needs, without a fixed time longer than the poll's interval.
 */
export function afterRequests(page: Page, path: string, count = 1): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let seen = 0;
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`waited 10 s for ${count} GET ${path} to end; ${seen} did`));
    }, 10_000);
    const ended = (req: Request) => {
      if (req.method() !== 'GET' || new URL(req.url()).pathname !== path || ++seen < count) return;
      stop();
      resolve();
    };
    const stop = () => {
      clearTimeout(timer);
      page.off('requestfinished', ended);
      page.off('requestfailed', ended);
    };
    page.on('requestfinished', ended);
    page.on('requestfailed', ended);
  }).then(() => page.evaluate('new Promise((resolve) => setTimeout(() => requestAnimationFrame(() => resolve()), 0))'));
}

/** An element's text ('' for none). */
export async function text(locator: Locator): Promise<string> {
  return (await locator.textContent()) ?? '';
}

/** The data view: the table of one collection, its pager, filter and sorting, and the record panel. */
export const dataView = {
  table: (page: Page) => page.locator('table[aria-labelledby="table-title"]'),

  /** Pages drawn so far (the table counts them in data-loads). */
  async loads(page: Page): Promise<number> {
    return Number((await dataView.table(page).getAttribute('data-loads')) ?? 0);
  },

  /** Runs `action`, then waits until the table has drawn a page after it (the count of pages drawn only grows). */
  async afterReload(page: Page, action: () => Promise<unknown>): Promise<void> {
    const before = await dataView.loads(page);
    await action();
    await inPage(page, `table[aria-labelledby="table-title"][data-state="ready"]:not([data-loads="${before}"])`);
  },

  async ready(page: Page): Promise<void> {
    await inPage(page, 'table[aria-labelledby="table-title"][data-state="ready"]');
  },

  /** The display names in the table, top to bottom. */
  names: (page: Page) => page.locator('table[aria-labelledby="table-title"] tbody tr td:first-child').allTextContents(),
  ids: (page: Page) => page.locator('table[aria-labelledby="table-title"] tbody tr').evaluateAll((rows) => rows.map((r) => String(r.getAttribute('data-id')))),

  async count(page: Page, collection: string): Promise<number> {
    return Number((await text(page.locator(`.count[data-collection="${collection}"]`))).replaceAll(',', ''));
  },

  async waitForCount(page: Page, collection: string, expected: number): Promise<void> {
    await page.locator(`.count[data-collection="${collection}"]`, { hasText: new RegExp(`^${expected.toLocaleString('en-US')}$`) }).waitFor();
  },

  async choose(page: Page, label: string): Promise<void> {
    await dataView.afterReload(page, () => page.getByRole('button', { name: new RegExp(`^${label}`) }).click());
  },

  async filter(page: Page, text: string): Promise<void> {
    await dataView.afterReload(page, () => page.getByLabel('Filter by display name').fill(text));
  },

  async sortBy(page: Page, column: string): Promise<void> {
    await dataView.afterReload(page, () => page.getByRole('columnheader', { name: column }).getByRole('button').click());
  },

  async pageSize(page: Page, size: number): Promise<void> {
    await dataView.afterReload(page, () => page.getByLabel('Page size').selectOption(String(size)));
  },

  /** Next page: the time from the click until the page is drawn, in ms. */
  async next(page: Page): Promise<number> {
    const started = performance.now();
    await dataView.afterReload(page, () => page.getByRole('button', { name: 'Next →' }).click());
    return performance.now() - started;
  },

  async open(page: Page, name: string): Promise<void> {
    await page.getByRole('button', { name, exact: true }).first().click();
    await page.locator('aside.record pre.json').waitFor();
  },

  /** The JSON editor's content replaced, then its submit button pressed. */
  async submitJson(page: Page, body: unknown, button: 'Create' | 'Save'): Promise<void> {
    const panel = page.locator('aside.record');
    await panel.getByLabel(/^JSON body/).fill(typeof body === 'string' ? body : JSON.stringify(body));
    await panel.getByRole('button', { name: button, exact: true }).click();
  },

  recordJson: async (page: Page) => JSON.parse(await text(page.locator('aside.record pre.json'))) as Record<string, unknown>,
  recordError: (page: Page) => page.locator('aside.record [role="alert"]'),
};

/** The tenant panel beside the data view: reset, export, baselines. */
export const tenantPanel = {
  async reset(page: Page, set: string, seed?: number): Promise<string> {
    await page.getByLabel('Fixture set').selectOption(set);
    await page.getByLabel('Seed').fill(seed === undefined ? '' : String(seed));
    await page.getByRole('button', { name: 'Reset tenant…' }).click();
    await page.getByRole('button', { name: 'Reset', exact: true }).click();
    // The answer names the set: a message left by an earlier reset does not count.
    const said = page.locator('section[aria-labelledby="tenant-actions"] [role="status"]', { hasText: `Reset to ${set === '' ? '' : `${set} `}` });
    await said.waitFor();
    return text(said);
  },

  async saveBaseline(page: Page, name: string): Promise<void> {
    await page.getByLabel('Baseline name').fill(name);
    await page.getByRole('button', { name: 'Save baseline' }).click();
    await page.locator('ul.baselines li', { hasText: name }).waitFor();
  },

  async restoreBaseline(page: Page, name: string): Promise<void> {
    const item = page.locator('ul.baselines li', { hasText: name });
    await item.getByRole('button', { name: `Restore baseline ${name}` }).click();
    // It replaces every record, as a reset does: the page asks first.
    await item
      .getByRole('group', { name: `Replace every record of this tenant with baseline ${name}?` })
      .getByRole('button', { name: 'Restore', exact: true })
      .click();
    await page.locator('section[aria-labelledby="tenant-actions"] [role="status"]', { hasText: `Restored baseline ${name}.` }).waitFor();
  },
};

interface RuleForm {
  template: string;
  method?: string;
  path?: string;
  name?: string;
  /** Effect fields by label: `{ 'Retry-After (s)': '7' }`. */
  effect?: Record<string, string>;
  times?: number;
}

/** The faults view: the rule table, the add form, the throttling profile. */
export const faultsView = {
  async open(page: Page): Promise<void> {
    await page.getByRole('link', { name: 'Faults' }).click();
    await inPage(page, 'table.rules[data-state="ready"]');
  },

  rows: (page: Page) => page.locator('table.rules tbody tr[data-index]'),

  async add(page: Page, rule: RuleForm): Promise<Record<string, unknown>> {
    const form = page.getByRole('form', { name: 'Add a rule' });
    await form.getByLabel('Template').selectOption({ label: rule.template });
    for (const [label, value] of Object.entries(rule.effect ?? {})) {
      const control = form.getByLabel(label, { exact: true });
      if ((await control.evaluate((el) => el.tagName)) === 'SELECT') await control.selectOption(value);
      else await control.fill(value);
    }
    await form.getByLabel('Method').selectOption(rule.method ?? '');
    await form.getByLabel('Path (glob)').fill(rule.path ?? '');
    await form.getByLabel('Name').fill(rule.name ?? '');
    await form.getByLabel('Times').fill(rule.times === undefined ? '' : String(rule.times));
    const preview = JSON.parse(await text(form.getByLabel('Rule JSON'))) as Record<string, unknown>;
    const before = await faultsView.rows(page).count();
    await form.getByRole('button', { name: 'Add rule' }).click();
    await inPage(page, `table.rules tbody tr[data-index="${before}"]`);
    return preview;
  },

  async remove(page: Page, index: number): Promise<void> {
    const before = await faultsView.rows(page).count();
    await page.getByRole('button', { name: `Delete rule ${index}` }).click();
    await inPage(page, `table.rules tbody tr[data-index="${before - 1}"]`, 'gone');
  },
};

/** The requests view: the journal's rows, newest first. */
export const requestsView = {
  async open(page: Page): Promise<void> {
    await page.getByRole('link', { name: 'Requests' }).click();
  },
  rows: (page: Page) => page.locator('table.requests tbody tr[data-id]'),
};

/**
 * A screenshot for the documentation, admin-<name>.png: into docs/images with UPDATE_SCREENSHOTS=1, else into the
 * run's scratch folder, so that a test run leaves the working tree as it found it (a new image differs from the
 * committed one by a few pixels of font rendering). The table's timing is left out, so that the same data gives
 * the same image run after run.
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  const folder = process.env['UPDATE_SCREENSHOTS'] === '1' ? path.join(ROOT, 'docs/images') : path.join(tmpdir(), 'screenshots');
  const file = path.join(folder, `admin-${name}.png`);
  mkdirSync(path.dirname(file), { recursive: true });
  await page.locator('header').scrollIntoViewIfNeeded();
  // (through the CSSOM: the page's CSP refuses the stylesheet Playwright's `style` option would add)
  await page.locator('.timing').evaluateAll((spans) => {
    for (const span of spans) span.style.visibility = 'hidden';
  });
  await page.screenshot({ path: file });
  return file;
}
