// The admin page from the keyboard and for a screen reader, in a real headless Chromium against an emulator on a
// real socket: where focus goes after each action (never back to the page's body), what a question and a message
// say and when, the skip link, the tenant picker's arrows, a collection that fails to load, and cells at 320 px.
import { expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { generateDataset } from '../../server/tenantData/generate.js';
import { dataView, focusedControl, text } from '../support/adminPage.js';
import { browserAndEmulator, inChromium } from '../support/adminPageSuite.js';
import { realServer } from '../support/realServer.js';

const REFERENCE_DATE = '2026-11-01T00:00:00.000Z';
const PACKAGES = '/beta/identityGovernance/entitlementManagement/accessPackages';
const AUTH = { Authorization: 'Bearer test-token', 'Content-Type': 'application/json' };

const suite = browserAndEmulator(() =>
  realServer({
    store: new MemoryStore(generateDataset({ seed: 7, accessPackages: 30, accessPackageCatalogs: 3, referenceDate: REFERENCE_DATE })),
    fixtures: { fixtures: 'small', seed: 42, referenceDate: REFERENCE_DATE },
  }),
);
const open = suite.open;

async function admin(method: string, path: string, body?: unknown): Promise<number> {
  const res = await fetch(`${suite.base()}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  await res.arrayBuffer();
  return res.status;
}

/** What has focus, as a screen reader names it: `tag "name"`, `main`, or `body` when focus was lost. */
async function focused(page: Page): Promise<string> {
  const control = await focusedControl(page);
  return control === null ? 'body' : control.tag === 'main' ? 'main' : `${control.tag} "${control.name}"`;
}

inChromium('focus', () => {
  it('the skip link moves focus to the content and leaves the view as it was: filter, open record, no new request', async () => {
    const watched = await open('/_emulator/ui/data');
    const { page } = watched;
    await dataView.ready(page);
    const [first] = await dataView.names(page);
    await dataView.filter(page, first!.slice(0, 6));
    await dataView.open(page, first!);
    const sent = watched.requests().length;
    await page.getByRole('link', { name: 'Skip to content' }).focus();
    await page.keyboard.press('Enter');
    expect(await focused(page)).toBe('main');
    expect(new URL(page.url()).pathname + new URL(page.url()).hash).toBe('/_emulator/ui/data');
    await expect(page.getByLabel('Filter by display name').inputValue()).resolves.toBe(first!.slice(0, 6));
    await expect(page.locator('aside.record').isVisible()).resolves.toBe(true);
    // Nothing asked again: the view was not mounted anew.
    await page.waitForTimeout(300);
    expect(watched.requests().slice(sent)).toEqual([]);
  });

  it('a sort keeps focus on its column header; a collection button keeps it when the table is drawn again', async () => {
    const { page } = await open();
    await dataView.ready(page);
    await dataView.afterReload(page, async () => {
      await page.getByRole('columnheader', { name: 'Display name' }).getByRole('button').focus();
      await page.keyboard.press('Enter');
    });
    expect(await focused(page)).toBe('button "Display name"');
    await expect(page.getByRole('columnheader', { name: 'Display name' }).getAttribute('aria-sort')).resolves.toBe('ascending');
    await dataView.afterReload(page, async () => {
      await page.getByRole('button', { name: /^Catalogs/ }).focus();
      await page.keyboard.press('Enter');
    });
    // The counts are read again after the switch: the list is drawn anew, and its button has focus again.
    await page.waitForTimeout(200);
    expect(await focused(page)).toMatch(/^button "Catalogs\d+"$/);
  });

  it('Close and Escape give focus back to the row that opened the record', async () => {
    const { page } = await open();
    await dataView.ready(page);
    const [, second] = await dataView.names(page);
    const row = page.getByRole('button', { name: second!, exact: true });
    await row.focus();
    await page.keyboard.press('Enter');
    await page.locator('aside.record pre.json').waitFor();
    expect(await focused(page)).toBe(`h2 "${second}"`);
    await page.locator('aside.record').getByRole('button', { name: 'Close' }).click();
    expect(await focused(page)).toBe(`button "${second}"`);
    await page.keyboard.press('Enter');
    await page.locator('aside.record pre.json').waitFor();
    await page.keyboard.press('Escape');
    await expect(page.locator('aside.record').isHidden()).resolves.toBe(true);
    expect(await focused(page)).toBe(`button "${second}"`);
  });

  it('Delete… asks with focus on its question; Escape goes back; a delete lands on the heading and says what went', async () => {
    const created = await fetch(`${suite.base()}${PACKAGES}`, { method: 'POST', headers: AUTH, body: JSON.stringify({ displayName: 'Aardvark to delete' }) });
    expect(created.status).toBe(201);
    const { page } = await open();
    await dataView.ready(page);
    await dataView.filter(page, 'Aardvark');
    await dataView.open(page, 'Aardvark to delete');
    const ask = page.locator('aside.record').getByRole('button', { name: 'Delete…' });
    await ask.focus();
    await page.keyboard.press('Enter');
    expect(await focused(page)).toBe('div "Delete this record through Graph?"');
    await expect(page.getByRole('group', { name: 'Delete this record through Graph?' }).isVisible()).resolves.toBe(true);
    await page.keyboard.press('Escape');
    expect(await focused(page)).toBe('button "Delete…"');
    // Escape answered the question only: the record stays open.
    await expect(page.locator('aside.record').isVisible()).resolves.toBe(true);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('button "Delete"');
    await dataView.afterReload(page, () => page.keyboard.press('Enter'));
    expect(await focused(page)).toBe('h2 "Access packages"');
    await expect(text(page.locator('section.table-area [role="status"].message'))).resolves.toBe('Deleted Aardvark to delete.');
    expect(await dataView.names(page)).toEqual([]);
    // Said once: the next page drawn takes it away.
    await dataView.filter(page, '');
    await expect(text(page.locator('section.table-area [role="status"].message'))).resolves.toBe('');
  });

  it('Reset tenant… asks, and Cancel gives focus back to it; baselines keep focus on their buttons, then on the name', async () => {
    const { page } = await open();
    await dataView.ready(page);
    const panel = page.locator('section[aria-labelledby="tenant-actions"]');
    await panel.getByRole('button', { name: 'Reset tenant…' }).click();
    expect(await focused(page)).toBe('div "Replace every record of this tenant?"');
    await panel.getByRole('button', { name: 'Cancel' }).click();
    expect(await focused(page)).toBe('button "Reset tenant…"');
    await expect(panel.getByRole('group').isHidden()).resolves.toBe(true);

    await page.getByLabel('Baseline name').fill('kept-focus');
    await page.getByLabel('Baseline name').press('Enter');
    await panel.locator('ul.baselines li', { hasText: 'kept-focus' }).waitFor();
    await expect(text(panel.locator('[role="status"]'))).resolves.toBe('Saved baseline kept-focus.');
    expect(await focused(page)).toBe('input "Baseline name"');
    // Restore names its baseline and asks first, as a reset does.
    await panel.getByRole('button', { name: 'Restore baseline kept-focus' }).click();
    expect(await focused(page)).toBe('div "Replace every record of this tenant with baseline kept-focus?"');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await panel.locator('[role="status"]', { hasText: 'Restored baseline kept-focus.' }).waitFor();
    expect(await focused(page)).toBe('button "Restore baseline kept-focus"');
    await panel.getByRole('button', { name: 'Delete baseline kept-focus' }).click();
    await panel.locator('[role="status"]', { hasText: 'Deleted baseline kept-focus.' }).waitFor();
    expect(await focused(page)).toBe('input "Baseline name"');
  });

  it('Next onto the last page moves focus to Previous, not to the body', async () => {
    const { page } = await open();
    await dataView.ready(page);
    await dataView.pageSize(page, 25);
    const next = page.getByRole('button', { name: 'Next →' });
    await next.focus();
    await dataView.afterReload(page, () => page.keyboard.press('Enter'));
    await expect(next.isDisabled()).resolves.toBe(true);
    expect(await focused(page)).toBe('button "← Previous"');
  });
});

inChromium('questions, messages and the picker', () => {
  it("a collection that fails to load shows none of the last one's rows under its name, and says why", async () => {
    expect(
      await admin('PUT', '/_emulator/faults', { rules: [{ name: 'catalogs down', status: 503, method: 'GET', path: '/beta/**/accessPackageCatalogs' }] }),
    ).toBe(200);
    try {
      const { page } = await open();
      await dataView.ready(page);
      expect((await dataView.names(page)).length).toBeGreaterThan(0);
      await page.getByRole('button', { name: /^Catalogs/ }).click();
      const alert = page.locator('section.table-area [role="alert"]');
      await alert.filter({ hasText: /^503 / }).waitFor();
      expect(await text(page.locator('#table-title'))).toBe('Catalogs');
      expect(await dataView.names(page)).toEqual([]);
      expect(await text(page.locator('p.pager'))).toBe('');
      await expect(dataView.table(page).getAttribute('aria-busy')).resolves.toBeNull();
    } finally {
      expect(await admin('DELETE', '/_emulator/faults')).toBe(204);
    }
  });

  it('with no answer from the emulator, the view says so in words, and a message is in the page before its text', async () => {
    const { page } = await open();
    await dataView.ready(page);
    // Live regions are watched from the start: present, empty, before any text.
    await expect(page.locator('section.table-area p.message[role="alert"]').count()).resolves.toBe(1);
    await expect(text(page.locator('section.table-area p.message[role="alert"]'))).resolves.toBe('');
    await page.route('**/beta/**', (route) => route.abort('connectionrefused'));
    await page.getByRole('button', { name: /^Catalogs/ }).click();
    const alert = page.locator('section.table-area [role="alert"]');
    await alert.filter({ hasText: 'No answer' }).waitFor();
    expect(await text(alert)).toMatch(/^No answer from the emulator \(.+\): is it running, on this address\?$/);
  });

  it('the tenant picker browses with the arrows and switches on Enter; "Other tenant…" shows its field without taking focus', async () => {
    // A second tenant the picker lists.
    const made = await fetch(`${suite.base()}/_emulator/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ tid: 'picker-2' }),
    });
    const { access_token: token } = (await made.json()) as { access_token: string };
    expect((await fetch(`${suite.base()}${PACKAGES}?$top=1`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
    const { page } = await open();
    await dataView.ready(page);
    const picker = page.getByRole('combobox', { name: 'Tenant', exact: true });
    await picker.locator('option', { hasText: 'picker-2' }).waitFor({ state: 'attached' });
    const options = await picker.locator('option').evaluateAll((all) => all.map((o) => o.getAttribute('value') ?? ''));
    const current = await picker.inputValue();
    await picker.focus();
    // Arrow to picker-2 (wherever it sits), without switching on the way.
    const steps = options.indexOf('picker-2') - options.indexOf(current);
    for (let i = 0; i < Math.abs(steps); i++) await page.keyboard.press(steps > 0 ? 'ArrowDown' : 'ArrowUp');
    await expect(picker.inputValue()).resolves.toBe('picker-2');
    await page.waitForTimeout(200);
    expect(new URL(page.url()).searchParams.get('tenant')).toBeNull();
    expect(await focused(page)).toBe('select "Tenant"');
    await dataView.afterReload(page, () => page.keyboard.press('Enter'));
    expect(new URL(page.url()).searchParams.get('tenant')).toBe('picker-2');
    // To "Other tenant…", the last option: its field shows, focus stays in the picker, the tenant stays.
    for (let i = options.indexOf('picker-2'); i < options.length - 1; i++) await page.keyboard.press('ArrowDown');
    await expect(picker.inputValue()).resolves.toBe('');
    await expect(page.getByLabel('Other tenant id').isVisible()).resolves.toBe(true);
    expect(await focused(page)).toBe('select "Tenant"');
    expect(new URL(page.url()).searchParams.get('tenant')).toBe('picker-2');
  });

  it('collections with no entity set say where Graph serves them, in text', async () => {
    const { page } = await open();
    await dataView.ready(page);
    const item = page.locator('ul.collections li', { hasText: 'Resource roles' });
    await expect(text(item.locator('.served-under'))).resolves.toBe('under accessPackageCatalogs/{id}/accessPackageResourceRoles');
    await expect(item.locator('.served-under').isVisible()).resolves.toBe(true);
  });
});

inChromium('at 320 px', () => {
  it('headers, short values and fields are whole and readable: a cell breaks inside a word only when it is long', async () => {
    const long = `Long ${'W'.repeat(120)}`;
    const created = await fetch(`${suite.base()}${PACKAGES}`, { method: 'POST', headers: AUTH, body: JSON.stringify({ displayName: long }) });
    const id = ((await created.json()) as { id: string }).id;
    try {
      const { page } = await open('/_emulator/', { viewport: { width: 320, height: 700 } });
      await dataView.ready(page);
      // A word of 120 letters breaks anywhere, and does not widen its column to 120 letters.
      await dataView.filter(page, 'Long W');
      const cell = page.locator('table[aria-labelledby="table-title"] tbody td').first();
      await expect(cell.getAttribute('class')).resolves.toBe('long-words');
      expect(await cell.evaluate((td) => td.getBoundingClientRect().width)).toBeLessThan(300);
      await dataView.filter(page, '');
      // Lines the text of each cell takes in the page: 1 for a header, a "yes"/"no", a date. Read off its text
      // nodes' boxes (a button's own box sits a pixel or two off its text).
      const lines = (selector: string) =>
        page.locator(selector).evaluateAll((cells) =>
          cells.map((cell) => {
            const doc = cell.ownerDocument;
            const walker = doc.createTreeWalker(cell, 4 /* NodeFilter.SHOW_TEXT */);
            const tops = new Set<number>();
            for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
              const range = doc.createRange();
              range.selectNodeContents(node);
              for (const r of range.getClientRects()) tops.add(Math.round(r.top));
            }
            return tops.size;
          }),
        );
      const headers = await lines('table[aria-labelledby="table-title"] thead th');
      expect(headers.length).toBeGreaterThan(2);
      expect(headers).toEqual(headers.map(() => 1));
      // Cells of one word (a "no", a count, a GUID) that are not long words: each on one line.
      const oneWord = 'table[aria-labelledby="table-title"] tbody td:not(.long-words)';
      const words = await page.locator(oneWord).evaluateAll((cells) => cells.map((c) => (c.textContent ?? '').trim()));
      const cellLines = await lines(oneWord);
      const broken = words.filter((word, i) => word !== '' && !/\s/.test(word) && cellLines[i]! > 1);
      expect(words.filter((word) => word !== '' && !/\s/.test(word)).length).toBeGreaterThan(0);
      expect(broken).toEqual([]);
      // The table scrolls in its frame; the page itself is no wider than the window.
      const frame = await page.locator('.table-scroll').evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
      expect(frame.scroll).toBeGreaterThan(frame.client);
      expect(await page.locator('html').evaluate((html) => html.scrollWidth)).toBeLessThanOrEqual(320);
      // A field's edge stands out 3:1 from the page (WCAG 1.4.11).
      const contrast = await page.getByLabel('Filter by display name').evaluate((input) => {
        const getComputedStyle = (el: typeof input) => el.ownerDocument.defaultView!.getComputedStyle(el);
        const rgb = (c: string) => (c.match(/\d+/g) ?? []).slice(0, 3).map(Number);
        const luminance = ([r, g, b]: number[]) =>
          [r!, g!, b!]
            .map((v) => (v / 255 <= 0.03928 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4))
            .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i]!, 0);
        const style = getComputedStyle(input);
        const [a, b] = [luminance(rgb(style.borderTopColor)), luminance(rgb(getComputedStyle(input.ownerDocument.body).backgroundColor))].sort((x, y) => y - x);
        return (a! + 0.05) / (b! + 0.05);
      });
      expect(contrast).toBeGreaterThanOrEqual(3);
    } finally {
      await fetch(`${suite.base()}${PACKAGES}/${id}`, { method: 'DELETE', headers: AUTH });
    }
  });
});
