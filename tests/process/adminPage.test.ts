// The admin page in a real headless Chromium against an emulator on a real socket: what a person sees and does
// in each view, checked against what the API answers. One browser for the file; a fresh context per page.
// Views whose admin API is not served yet (the request journal) are skipped, the endpoint they need in the test's
// name, until it is.
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { benchRecords } from '../../bench/dataset.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { datasetOf } from '../../server/store/records.js';
import { generateDataset } from '../../server/tenantData/generate.js';
import { afterRequests, dataView, faultsView, inPage, requestsView, screenshot, tenantPanel, text } from '../support/adminPage.js';
import { browserAndEmulator, inChromium } from '../support/adminPageSuite.js';
import { type RealServer, realServer } from '../support/realServer.js';

const REFERENCE_DATE = '2026-11-01T00:00:00.000Z';
const FIXTURES = { fixtures: 'small', seed: 42, referenceDate: REFERENCE_DATE };
const PACKAGES = '/beta/identityGovernance/entitlementManagement/accessPackages';
const AUTH = { Authorization: 'Bearer test-token', 'Content-Type': 'application/json' };

const suite = browserAndEmulator(() =>
  realServer({
    store: new MemoryStore(generateDataset({ seed: 42, accessPackages: 25, accessPackageCatalogs: 3, referenceDate: REFERENCE_DATE })),
    fixtures: FIXTURES,
  }),
);
const open = suite.open;
let base: string;
// After the suite's own beforeAll, which started the emulator.
beforeAll(() => {
  base = suite.base();
});

async function graph(method: string, path: string, body?: unknown): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const res = await fetch(`${base}${path}`, { method, headers: AUTH, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

async function resetTenant(): Promise<void> {
  const res = await fetch(`${base}/_emulator/reset`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
  expect(res.status).toBe(200);
  const faults = await fetch(`${base}/_emulator/faults`, { method: 'DELETE' });
  expect(faults.status).toBe(204);
}

inChromium('the page', () => {
  it('loads every view with no console error, no script error and no request outside the emulator', async () => {
    const { page, problems, requests } = await open();
    await dataView.ready(page);
    await page.getByRole('link', { name: 'Faults' }).click();
    await page.locator('table.rules[data-state="ready"]').waitFor();
    await requestsView.open(page);
    await page.getByRole('heading', { name: 'Requests' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Requests' }).waitFor();
    expect(problems()).toEqual([]);
    // Graph data came through the Graph routes, with a token minted by the emulator.
    expect(requests()).toEqual(
      expect.arrayContaining([
        'POST /_emulator/token',
        expect.stringMatching(/^GET \/beta\/identityGovernance\/entitlementManagement\/accessPackages\?\$top=/),
      ]),
    );
    expect(new URL(page.url()).pathname).toBe('/_emulator/ui/requests');
  });

  it('is answered with its security headers, and its script is the only one it runs', async () => {
    const { page } = await open();
    const res = await page.request.get(`${base}/_emulator/`);
    expect(res.headers()).toMatchObject({
      'content-security-policy': expect.stringContaining("script-src 'self'"),
      'x-content-type-options': 'nosniff',
      'content-type': 'text/html; charset=utf-8',
    });
    expect(res.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
    // An inline script the page did not ship is refused by the policy.
    const ran = await page.locator('body').evaluate((body) => {
      const script = body.ownerDocument.createElement('script');
      script.textContent = 'window.__injected = true';
      body.append(script);
      return body.ownerDocument.defaultView?.['__injected' as never] === true;
    });
    expect(ran).toBe(false);
  });

  it('every control has a label, and the keyboard reaches the views, the filter, the table and its rows', async () => {
    const { page } = await open();
    await dataView.ready(page);
    const unlabelled = await page.locator('input, select, textarea, button').evaluateAll((controls) =>
      controls
        .filter((el) => el.getClientRects().length > 0)
        .filter((el) => {
          const labels = 'labels' in el ? (el.labels as { length: number } | null) : null;
          const named = el.getAttribute('aria-label') ?? el.getAttribute('aria-labelledby') ?? (el.tagName === 'BUTTON' ? el.textContent?.trim() : '');
          return (labels === null || labels.length === 0) && !named;
        })
        .map((el) => el.outerHTML.slice(0, 80)),
    );
    expect(unlabelled).toEqual([]);
    const reached = new Set<string>();
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      // A control's name: its aria-label, its <label>, or its text.
      reached.add(
        await page.locator(':focus').evaluate((el) => {
          const label = 'labels' in el ? (el.labels as { 0?: { textContent: string | null } } | null)?.[0]?.textContent : undefined;
          return el.getAttribute('aria-label') ?? label ?? el.textContent ?? '';
        }),
      );
    }
    expect([...reached]).toEqual(expect.arrayContaining(['Data', 'Faults', 'Requests', 'Filter by display name', 'New…', 'Display name']));
    // A row opens from the keyboard.
    await dataView.table(page).locator('tbody tr').first().getByRole('button').focus();
    await page.keyboard.press('Enter');
    await page.locator('aside.record pre.json').waitFor();
  });

  it('works on a narrow window and in dark mode: nothing wider than the window, dark colours', async () => {
    const { page } = await open('/_emulator/', { viewport: { width: 390, height: 800 } });
    await dataView.ready(page);
    const background = () => page.locator('body').evaluate((body) => body.ownerDocument.defaultView?.getComputedStyle(body).backgroundColor);
    const looks = [];
    // The same page in each scheme: the browser applies a change of the person's setting to the page in view.
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      looks.push({
        width: await page.locator('html').evaluate((html) => html.scrollWidth),
        filter: await page.getByLabel('Filter by display name').isVisible(),
        background: await background(),
      });
    }
    expect(looks).toEqual([
      { width: expect.any(Number), filter: true, background: 'rgb(255, 255, 255)' },
      { width: expect.any(Number), filter: true, background: 'rgb(23, 24, 27)' },
    ]);
    for (const { width } of looks) expect(width).toBeLessThanOrEqual(390);
  });
});

inChromium('data view', () => {
  beforeAll(resetTenant);

  it('shows every collection with its count, and a record created through the API appears in the table', async () => {
    const { page } = await open();
    await dataView.ready(page);
    expect(await dataView.count(page, 'accessPackages')).toBe(25);
    expect(await dataView.count(page, 'accessPackageCatalogs')).toBe(3);
    const created = await graph('POST', PACKAGES, { displayName: 'Zeta launch squad', description: 'made by the API' });
    expect(created.status).toBe(201);
    await dataView.filter(page, 'zeta launch');
    expect(await dataView.names(page)).toEqual(['Zeta launch squad']);
    expect(await dataView.ids(page)).toEqual([created.body['id']]);
    await page.reload();
    await dataView.waitForCount(page, 'accessPackages', 26);
  });

  it('shows a value of 200,000 characters cut in its cell, the table within reach, and whole in the record panel', async () => {
    const name = `Zulu ${'L'.repeat(200_000)}`;
    const created = await graph('POST', PACKAGES, { displayName: name, description: 'd'.repeat(100_000) });
    expect(created.status).toBe(201);
    try {
      const { page } = await open();
      await dataView.ready(page);
      await dataView.filter(page, 'zulu');
      const [shown] = await dataView.names(page);
      // CELL_CHARS (ui/collections.ts): 200 characters, then an ellipsis.
      expect(shown).toBe(`${name.slice(0, 200)}…`);
      const widths = await dataView.table(page).evaluate((table) => ({ table: table.scrollWidth, window: table.ownerDocument.documentElement.clientWidth }));
      expect(widths.table).toBeLessThan(widths.window * 2);
      await page.locator('table[aria-labelledby="table-title"] tbody tr td:first-child button').click();
      await page.locator('aside.record').getByText('Zulu', { exact: false }).first().waitFor();
      expect(await page.locator('aside.record').evaluate((panel, expected) => (panel.textContent ?? '').includes(expected), name)).toBe(true);
    } finally {
      await graph('DELETE', `${PACKAGES}/${created.body['id']}`);
    }
  });

  it('sorts and filters through $orderby and $filter: the rows are the ones Graph answers', async () => {
    const { page, requests } = await open();
    await dataView.ready(page);
    await dataView.sortBy(page, 'Display name');
    const ascending = await graph('GET', `${PACKAGES}?$orderby=displayName asc&$top=50&$select=displayName`);
    expect(await dataView.names(page)).toEqual((ascending.body['value'] as { displayName: string }[]).map((p) => p.displayName));
    await dataView.sortBy(page, 'Display name');
    expect(await page.getByRole('columnheader', { name: 'Display name' }).getAttribute('aria-sort')).toBe('descending');
    // The arrow is decoration: aria-sort tells the order, and the button keeps the column's name.
    expect(await page.getByRole('button', { name: 'Display name', exact: true }).count()).toBe(1);
    await dataView.filter(page, 'Research & DEVELOPMENT – patent');
    const names = await dataView.names(page);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(name.toLowerCase()).toContain('research & development – patent');
    const filter = "contains(tolower(displayName),'research & development – patent')";
    const answer = await graph('GET', `${PACKAGES}?$filter=${encodeURIComponent(filter)}&$orderby=displayName desc&$select=displayName`);
    expect(names).toEqual((answer.body['value'] as { displayName: string }[]).map((p) => p.displayName));
    expect(decodeURIComponent(requests().at(-1)!)).toContain("$filter=contains(tolower(displayName),'research & development – patent')");
    // A quote in the box is doubled, as OData escapes it: no error, no match.
    await dataView.filter(page, "o'brien");
    expect(await text(page.locator('p.pager'))).toBe('No records.');
  });

  it("creates, edits and deletes through Graph, and shows Graph's own message for a bad body", async () => {
    const { page } = await open();
    await dataView.ready(page);
    await page.getByRole('button', { name: 'New…' }).click();
    await dataView.submitJson(page, { displayName: 'From the page', isHidden: 'Boolean' }, 'Create');
    await dataView.recordError(page).waitFor();
    await expect(text(dataView.recordError(page))).resolves.toBe(
      "400 BadRequest: Invalid value for property 'isHidden': cannot convert the literal 'Boolean' to the expected type 'Edm.Boolean'.",
    );
    await dataView.afterReload(page, () => dataView.submitJson(page, { displayName: 'From the page', isHidden: true }, 'Create'));
    await page.getByRole('heading', { name: 'From the page' }).waitFor();
    const shown = await dataView.recordJson(page);
    const stored = await graph('GET', `${PACKAGES}/${shown['id']}`);
    expect(stored.status).toBe(200);
    expect(stored.body).toMatchObject({ displayName: 'From the page', isHidden: true, createdBy: 'admin@contoso.onmicrosoft.com' });
    expect(shown).toEqual(stored.body);

    await page.getByRole('button', { name: 'Edit' }).click();
    await dataView.submitJson(page, { displayName: 'Renamed on the page', description: 'edited' }, 'Save');
    await page.getByRole('heading', { name: 'Renamed on the page' }).waitFor();
    expect((await graph('GET', `${PACKAGES}/${shown['id']}`)).body).toMatchObject({
      displayName: 'Renamed on the page',
      description: 'edited',
      isHidden: true,
    });

    await page.getByRole('button', { name: 'Delete…' }).click();
    await dataView.afterReload(page, () => page.getByRole('button', { name: 'Delete', exact: true }).click());
    const gone = await graph('GET', `${PACKAGES}/${shown['id']}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toMatchObject({ error: { code: 'ResourceNotFound' } });
    expect(await page.locator('aside.record').isHidden()).toBe(true);
  });

  it('a delete on the second page counts the total again: the pager shows the count after it', async () => {
    await resetTenant();
    const { page } = await open();
    await dataView.ready(page);
    await expect(text(page.locator('p.pager'))).resolves.toMatch(/^1–25 of 25/);
    for (const displayName of ['Twenty-sixth', 'Twenty-seventh']) expect((await graph('POST', PACKAGES, { displayName })).status).toBe(201);
    await page.reload();
    await dataView.ready(page);
    await dataView.afterReload(page, () => page.getByLabel('Page size').selectOption('25'));
    await dataView.afterReload(page, () => page.getByRole('button', { name: 'Next →' }).click());
    await expect(text(page.locator('p.pager'))).resolves.toMatch(/^26–27 of 27/);
    await dataView.table(page).locator('tbody tr button').first().click();
    await page.getByRole('button', { name: 'Delete…' }).click();
    await dataView.afterReload(page, () => page.getByRole('button', { name: 'Delete', exact: true }).click());
    await page.locator('p.pager', { hasText: /^26–26 of 26/ }).waitFor();
  });
});

inChromium('tenant actions', () => {
  beforeAll(resetTenant);

  it('reset to a fixture set and seed restores its count, in the page and in the API', async () => {
    const { page } = await open();
    await dataView.ready(page);
    for (const name of ['one', 'two', 'three']) expect((await graph('POST', PACKAGES, { displayName: `Extra ${name}` })).status).toBe(201);
    await page.reload();
    await dataView.waitForCount(page, 'accessPackages', 28);
    expect(await tenantPanel.reset(page, 'small', 42)).toBe('Reset to small (seed 42): 105 records.');
    await dataView.waitForCount(page, 'accessPackages', 25);
    const list = await graph('GET', `${PACKAGES}?$count=true&$top=1`);
    expect(list.body['@odata.count']).toBe(25);
    expect(await tenantPanel.reset(page, 'empty')).toMatch(/^Reset to empty \(seed 42\): \d+ records\.$/);
    await dataView.waitForCount(page, 'accessPackages', 0);
    await page.locator('p.pager', { hasText: /^No records\.$/ }).waitFor();
  });

  it('export downloads the tenant in the data file format', async () => {
    await resetTenant();
    const { page } = await open();
    await dataView.ready(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download export' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^emulator-export-[\w-]+-\d{4}-\d{2}-\d{2}\.json$/);
    const text = await readFile(await download.path(), 'utf8');
    const api = await fetch(`${base}/_emulator/export`);
    expect(text).toBe(await api.text());
    expect((JSON.parse(text) as { accessPackages: unknown[] }).accessPackages).toHaveLength(25);
  });

  it('a named baseline saved from the page is restored from the page', async () => {
    await resetTenant();
    const { page } = await open();
    await dataView.ready(page);
    // The browser checks a name as the API does (the pattern compiles in the v mode browsers use), before sending it.
    const nameField = page.getByLabel('Baseline name');
    const valid = async (value: string) => {
      await nameField.fill(value);
      return nameField.evaluate((input) => (input as unknown as { checkValidity(): boolean }).checkValidity());
    };
    expect([await valid('before-extra'), await valid('bad name!'), await valid('.hidden'), await valid('a'.repeat(65))]).toEqual([true, false, false, false]);
    await tenantPanel.saveBaseline(page, 'before-extra');
    expect((await graph('POST', PACKAGES, { displayName: 'After the baseline' })).status).toBe(201);
    await page.reload();
    await dataView.waitForCount(page, 'accessPackages', 26);
    await tenantPanel.restoreBaseline(page, 'before-extra');
    await dataView.waitForCount(page, 'accessPackages', 25);
    expect((await graph('GET', `${PACKAGES}?$count=true&$top=1`)).body['@odata.count']).toBe(25);
    // Saved at the time of the run: gone again, so that the screenshots show the same page every run.
    expect((await graph('DELETE', '/_emulator/snapshots/before-extra')).status).toBe(204);
  });

  it('the tenant picker switches the data view to another tenant, whose records stay its own', async () => {
    await resetTenant();
    const { page } = await open();
    await dataView.ready(page);
    await page.getByRole('combobox', { name: 'Tenant', exact: true }).selectOption('');
    await dataView.afterReload(page, async () => {
      await page.getByLabel('Other tenant id').fill('7f1c2d3e-4b5a-4968-8776-a5b4c3d2e1f0');
      await page.getByLabel('Other tenant id').press('Enter');
    });
    expect(new URL(page.url()).searchParams.get('tenant')).toBe('7f1c2d3e-4b5a-4968-8776-a5b4c3d2e1f0');
    await page.getByRole('button', { name: 'New…' }).click();
    await dataView.afterReload(page, () => dataView.submitJson(page, { displayName: 'Only in the other tenant' }, 'Create'));
    expect(await dataView.names(page)).toContain('Only in the other tenant');
    // The default tenant, through the API with a token that names no tenant, does not have it.
    const filtered = await graph('GET', `${PACKAGES}?$filter=displayName eq 'Only in the other tenant'`);
    expect(filtered.body['value']).toEqual([]);
  });

  it('counts the records of a tenant its first request makes, and refuses an id the emulator would refuse', async () => {
    await resetTenant();
    const { page } = await open();
    await dataView.ready(page);
    const picker = page.getByRole('combobox', { name: 'Tenant', exact: true });
    await picker.selectOption('');
    await dataView.afterReload(page, async () => {
      await page.getByLabel('Other tenant id').fill('fresh-counts-1');
      await page.getByLabel('Other tenant id').press('Enter');
    });
    // The table's first request made the tenant with the fixtures; the counts beside it say so.
    await dataView.waitForCount(page, 'accessPackages', 25);
    expect(await text(page.locator('p.pager'))).toMatch(/^1–25 of 25/);
    // An id the emulator refuses is not chosen: the URL, the picker and the rows stay the tenant's in view.
    await picker.selectOption('');
    await page.getByLabel('Other tenant id').fill('bad id!');
    await page.getByLabel('Other tenant id').press('Enter');
    const validity = await page.getByLabel('Other tenant id').evaluate((input) => (input as unknown as { validationMessage: string }).validationMessage);
    expect(validity).toBe('A tenant id is 1 to 128 letters, digits, ".", "-" or "_".');
    expect(new URL(page.url()).searchParams.get('tenant')).toBe('fresh-counts-1');
    expect(await dataView.count(page, 'accessPackages')).toBe(25);
    expect((await fetch(`${base}/_emulator/tenants/fresh-counts-1`, { method: 'DELETE' })).status).toBe(204);
  });

  it("keeps the tenant in view across views and Back, and lists the chosen tenant's own baselines", async () => {
    await resetTenant();
    expect((await fetch(`${base}/_emulator/snapshots/of-the-default`, { method: 'PUT' })).status).toBeLessThan(300);
    const { page } = await open();
    await dataView.ready(page);
    await page.locator('ul.baselines li', { hasText: 'of-the-default' }).waitFor();
    const other = 'b2c3d4e5-0000-4000-8000-00000000000a';
    await page.getByRole('combobox', { name: 'Tenant', exact: true }).selectOption('');
    await dataView.afterReload(page, async () => {
      await page.getByLabel('Other tenant id').fill(other);
      await page.getByLabel('Other tenant id').press('Enter');
    });
    await page.getByText('No baseline saved yet.').waitFor();
    expect(await page.locator('ul.baselines li', { hasText: 'of-the-default' }).count()).toBe(0);
    // The views' links carry the tenant: the requests view opens on it, and so does a reload there.
    await page.getByRole('link', { name: 'Requests' }).click();
    expect(new URL(page.url()).searchParams.get('tenant')).toBe(other);
    await page.reload();
    // The picker is filled once the page has read the tenants: wait for that, not for the load event alone.
    await page
      .waitForFunction(`document.getElementById('tenant-picker')?.value === ${JSON.stringify(other)}`, undefined, { timeout: 10_000 })
      .catch(() => undefined);
    expect(await page.getByRole('combobox', { name: 'Tenant', exact: true }).inputValue()).toBe(other);
    // Back to the data view: the tenant its URL names, in the picker and in the baselines listed.
    await page.goBack();
    expect(new URL(page.url()).searchParams.get('tenant')).toBe(other);
    await page.getByText('No baseline saved yet.').waitFor();
    expect(await page.getByRole('combobox', { name: 'Tenant', exact: true }).inputValue()).toBe(other);
    expect((await graph('DELETE', '/_emulator/snapshots/of-the-default')).status).toBe(204);
  });
});

inChromium('faults view', () => {
  beforeAll(resetTenant);

  it('opens on a view its path names in any case, as the server routes it', async () => {
    const { page } = await open('/_emulator/UI/Faults');
    await page.locator('table.rules[data-state="ready"]').waitFor();
    expect(await page.locator('nav a[aria-current="page"]').getAttribute('data-view')).toBe('faults');
  });

  it('a 429 rule added from the page makes the next API create answer 429 with Retry-After; deleting it restores 201', async () => {
    const { page } = await open('/_emulator/ui/faults');
    await page.locator('table.rules[data-state="ready"]').waitFor();
    const rule = await faultsView.add(page, {
      template: '429 Too Many Requests, with Retry-After',
      effect: { 'Retry-After (s)': '7' },
      method: 'POST',
      path: '/beta/**/accessPackages',
      name: 'creates throttled',
    });
    expect(rule).toEqual({ name: 'creates throttled', method: 'POST', path: '/beta/**/accessPackages', status: 429, retryAfter: 7 });
    const throttled = await graph('POST', PACKAGES, { displayName: 'Refused' });
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('7');
    expect(throttled.headers.get('content-type')).toBe('application/json');
    expect(throttled.body).toMatchObject({ error: { code: 'TooManyRequests', message: 'Please retry again later.' } });
    // The counts come back on the next refresh.
    await page.locator('table.rules tr[data-index="0"] td.fired', { hasText: '1' }).waitFor();
    expect(await text(faultsView.rows(page).first())).toContain('POST /beta/**/accessPackages');

    await faultsView.remove(page, 0);
    const created = await graph('POST', PACKAGES, { displayName: 'Accepted again' });
    expect(created.status).toBe(201);
    expect(created.headers.get('retry-after')).toBeNull();
    expect(created.body).toMatchObject({ displayName: 'Accepted again' });
  });

  it('a template that names no method keeps the method chosen; one that names it sets it', async () => {
    const { page } = await open('/_emulator/ui/faults');
    const form = page.getByRole('form', { name: 'Add a rule' });
    const preview = async () => JSON.parse(await text(form.getByLabel('Rule JSON'))) as Record<string, unknown>;
    await form.getByLabel('Method').selectOption('DELETE');
    await form.getByLabel('Template').selectOption({ label: '500 Internal Server Error' });
    expect(await preview()).toMatchObject({ method: 'DELETE', status: 500 });
    await form.getByLabel('Template').selectOption({ label: 'Fail after commit (the write happens)' });
    expect(await preview()).toMatchObject({ method: 'POST', phase: 'after' });
  });

  it('each template adds the rule the faults API documents; remove all empties the list', async () => {
    const { page } = await open('/_emulator/ui/faults');
    await page.locator('table.rules[data-state="ready"]').waitFor();
    const added = [
      await faultsView.add(page, { template: '503 Service Unavailable', effect: { 'Retry-After (s)': '2' }, method: 'GET', times: 1 }),
      await faultsView.add(page, { template: '500 Internal Server Error', method: 'DELETE' }),
      await faultsView.add(page, { template: 'Latency', effect: { 'Delay (ms)': '100', 'Up to (ms)': '200' }, method: 'GET' }),
      await faultsView.add(page, { template: 'Connection reset', method: 'PATCH' }),
      await faultsView.add(page, { template: 'Hang (never answer)', path: '/beta/**/accessPackageCatalogs' }),
      await faultsView.add(page, { template: 'Fail after commit (the write happens)', effect: { Status: '503' }, method: 'POST' }),
    ];
    expect(added).toEqual([
      { method: 'GET', times: 1, status: 503, retryAfter: 2 },
      { method: 'DELETE', status: 500 },
      { method: 'GET', latency: { min: 100, max: 200 } },
      { method: 'PATCH', drop: 'reset' },
      { path: '/beta/**/accessPackageCatalogs', drop: 'hang' },
      { method: 'POST', phase: 'after', status: 503 },
    ]);
    const listed = (await (await fetch(`${base}/_emulator/faults`)).json()) as { rules: Record<string, unknown>[] };
    expect(listed.rules).toEqual(added.map((rule) => ({ ...rule, matched: 0, fired: 0 })));
    // After commit: the create happens, the answer is the failure.
    const failed = await graph('POST', PACKAGES, { displayName: 'Committed anyway' });
    expect(failed.status).toBe(503);
    // (read through the admin API, which is never faulted: the GET rules above would answer a Graph read)
    const exported = (await (await fetch(`${base}/_emulator/export`)).json()) as { accessPackages: { displayName: string }[] };
    expect(exported.accessPackages.filter((p) => p.displayName === 'Committed anyway')).toHaveLength(1);

    await page.getByRole('button', { name: 'Remove all rules' }).click();
    await page.getByText('No rules: every Graph request answers normally.').waitFor();
    expect(await (await fetch(`${base}/_emulator/faults`)).json()).toEqual({ rules: [] });
  });

  it('the throttling profile goes on with its numbers and off again, keeping the rules', async () => {
    await resetTenant();
    const { page } = await open('/_emulator/ui/faults');
    await page.locator('table.rules[data-state="ready"]').waitFor();
    await faultsView.add(page, { template: '500 Internal Server Error', method: 'DELETE' });
    await page.getByLabel('Throttle every client (token bucket)').check();
    await page.getByLabel('Capacity (burst)').fill('2');
    await page.getByLabel('Refill per second').fill('0.5');
    await page.getByLabel('Client is').selectOption('client-request-id');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('On: 2 requests per client, 0.5 back per second.').waitFor();
    expect(await (await fetch(`${base}/_emulator/faults`)).json()).toEqual({
      rules: [{ method: 'DELETE', status: 500, matched: 0, fired: 0 }],
      throttle: { capacity: 2, refillPerSecond: 0.5, key: 'client-request-id', headers: true },
    });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await graph('GET', `${PACKAGES}?$top=1`)).status);
    expect(statuses).toEqual([200, 200, 429]);

    await page.getByLabel('Throttle every client (token bucket)').uncheck();
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('Off.', { exact: true }).waitFor();
    expect(await (await fetch(`${base}/_emulator/faults`)).json()).toEqual({ rules: [{ method: 'DELETE', status: 500, matched: 0, fired: 0 }] });
    expect((await graph('GET', `${PACKAGES}?$top=1`)).status).toBe(200);
  });

  it('a hang rule for every Graph request does not lock the page: a replaced page is abandoned, its connection closed', async () => {
    await resetTenant();
    await fetch(`${base}/_emulator/faults`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: '{"rules":[{"drop":"hang"}]}' });
    const { page } = await open();
    const collections = page.locator('button.collection');
    // Each choice replaces the page being loaded; the browser keeps six connections to a host.
    for (let i = 0; i < 8; i += 1) await collections.nth(i % 2).click();
    await page.getByRole('link', { name: 'Faults' }).click();
    await page.getByRole('button', { name: 'Remove all rules' }).click();
    await page.getByText('No rules: every Graph request answers normally.').waitFor({ timeout: 10_000 });
    expect(await (await fetch(`${base}/_emulator/faults`)).json()).toEqual({ rules: [] });
  });

  it('the record panel shows the row clicked last: a slower answer of a row clicked before is dropped, a held one abandoned', async () => {
    await resetTenant();
    const { page } = await open();
    await dataView.ready(page);
    const [ids, names] = [await dataView.ids(page), await dataView.names(page)];
    const rule = (effect: object) =>
      fetch(`${base}/_emulator/faults`, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ rules: [{ method: 'GET', path: `${PACKAGES}/${ids[0]}`, ...effect }] }),
      });
    const record = page.locator('aside.record');
    await rule({ latency: 1000 });
    const firstAnswered = afterRequests(page, `${PACKAGES}/${ids[0]}`);
    await page.getByRole('button', { name: names[0], exact: true }).click();
    await page.getByRole('button', { name: names[1], exact: true }).click();
    await record.getByRole('heading', { name: names[1] }).waitFor();
    // Past the first row's answer (or its request abandoned): the panel still shows the second.
    await firstAnswered;
    expect([await text(record.getByRole('heading')), (await dataView.recordJson(page))['id']]).toEqual([names[1], ids[1]]);
    // Held answers, each replaced by the next click: none keeps a connection, so the faults view still loads.
    await rule({ drop: 'hang' });
    for (let i = 0; i < 8; i += 1) await page.getByRole('button', { name: names[0], exact: true }).click();
    await page.getByRole('link', { name: 'Faults' }).click();
    await page.getByRole('button', { name: 'Remove all rules' }).click();
    await page.getByText('No rules: every Graph request answers normally.').waitFor({ timeout: 10_000 });
    expect(await (await fetch(`${base}/_emulator/faults`)).json()).toEqual({ rules: [] });
  });

  it('Apply puts back the rules as they are now, not as last drawn, and keeps the profile to its tenant', async () => {
    await resetTenant();
    const { page } = await open('/_emulator/ui/faults');
    await page.locator('table.rules[data-state="ready"]').waitFor();
    // Another client sets a tenant's rule and profile after the page drew its list.
    const settings = { rules: [{ name: 'keep-me', status: 503, tenant: 'worker-1' }], throttle: { capacity: 5, refillPerSecond: 1, tenant: 'worker-1' } };
    await fetch(`${base}/_emulator/faults`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(settings) });
    await page.getByLabel('Throttle every client (token bucket)').check();
    await page.getByLabel('Capacity (burst)').fill('7');
    await page.getByLabel('Refill per second').fill('1');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByText('On: 7 requests per client, 1 back per second, tenant worker-1 only.').waitFor();
    await page.getByText('any method any path · tenant worker-1').waitFor();
    expect(await (await fetch(`${base}/_emulator/faults`)).json()).toEqual({
      rules: [{ name: 'keep-me', status: 503, tenant: 'worker-1', matched: 0, fired: 0 }],
      throttle: { capacity: 7, refillPerSecond: 1, key: 'token', headers: true, tenant: 'worker-1' },
    });
    await fetch(`${base}/_emulator/faults`, { method: 'DELETE' });
  });
});

inChromium('requests view', () => {
  beforeAll(resetTenant);

  it('a create from the page shows up in the journal, newest first, with its bodies and headers', async () => {
    const { page } = await open();
    await dataView.ready(page);
    await page.getByRole('button', { name: 'New…' }).click();
    await dataView.afterReload(page, () => dataView.submitJson(page, { displayName: 'Journalled from the page' }, 'Create'));
    await requestsView.open(page);
    const row = requestsView.rows(page).filter({ hasText: 'POST' }).filter({ hasText: '201' }).first();
    await row.waitFor();
    await row.getByRole('button').click();
    const detail = page.locator('aside[aria-labelledby="entry-title"]');
    await expect(text(detail.getByLabel('Request body'))).resolves.toContain('Journalled from the page');
    await expect(text(detail.getByLabel('Response body'))).resolves.toContain('"id"');
    await expect(text(detail.getByRole('table', { name: 'Response headers' }))).resolves.toMatch(/location/i);
  });

  it('keeps the keyboard focus on its row while new entries arrive', async () => {
    await fetch(`${base}${PACKAGES}?$top=1`, { headers: { Authorization: 'Bearer t' } });
    const { page } = await open('/_emulator/ui/requests');
    const first = requestsView.rows(page).first();
    await first.waitFor();
    const id = await first.getAttribute('data-id');
    await first.getByRole('button').focus();
    const before = await requestsView.rows(page).count();
    await fetch(`${base}${PACKAGES}?$top=2`, { headers: { Authorization: 'Bearer t' } });
    await requestsView.rows(page).nth(before).waitFor();
    expect(await page.locator('tr[data-id]:focus-within').getAttribute('data-id')).toBe(id);
  });

  it('opens an entry with long header values and a long path inside its panel: nothing wider than the window', async () => {
    const long = `Agent/${'x'.repeat(400)}`;
    const path = `${PACKAGES}?$filter=${encodeURIComponent(`displayName eq '${'y'.repeat(300)}'`)}`;
    await fetch(`${base}${path}`, { headers: { Authorization: 'Bearer t', 'User-Agent': long } });
    const { page } = await open('/_emulator/ui/requests', { viewport: { width: 390, height: 800 } });
    // Newest first: the request just sent.
    const row = requestsView.rows(page).filter({ hasText: 'GET' }).first();
    await row.waitFor();
    await row.getByRole('button').click();
    await page.locator('aside[aria-labelledby="entry-title"] table.headers').first().waitFor();
    // The same entry on a narrow window, then on a wide one (the window resized, as a person would).
    for (const width of [390, 1280]) {
      await page.setViewportSize({ width, height: 800 });
      await page.locator('aside[aria-labelledby="entry-title"] table.headers').first().waitFor();
      expect(await page.locator('html').evaluate((html) => html.scrollWidth)).toBeLessThanOrEqual(width);
    }
  });

  it('shows a request whose connection dropped before an answer as failed, with no answer', async () => {
    const { page } = await open('/_emulator/ui/requests');
    const dropped = await fetch(`${base}${PACKAGES}`, { headers: { ...AUTH, 'X-Emulator-Fault': 'drop=reset' } }).catch((err: unknown) => err);
    expect(dropped).toMatchObject({ message: 'fetch failed' });
    const row = requestsView.rows(page).filter({ hasText: 'drop reset' }).first();
    await row.waitFor();
    expect(await row.getAttribute('class')).toContain('failed');
    expect(await row.locator('td').nth(3).textContent()).toBe('no answer');
    await row.getByRole('button').click();
    const detail = page.locator('aside[aria-labelledby="entry-title"]');
    await expect(text(detail.locator('dl.facts'))).resolves.toContain('no answer');
  });

  it('filters by method and status, and Clear empties the journal', async () => {
    const { page } = await open('/_emulator/ui/requests');
    expect((await graph('GET', `${PACKAGES}/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    await page.getByLabel('Status').fill('404');
    await page.getByLabel('Status').press('Enter');
    await requestsView.rows(page).first().waitFor();
    for (const text of await requestsView.rows(page).allTextContents()) expect(text).toContain('404');
    await page.getByRole('button', { name: 'Clear journal' }).click();
    await page.getByText('No requests yet.').waitFor();
  });
});

inChromium('ADMIN_TOKEN', () => {
  it('the page asks for it once, keeps it for the tab only, and keeps no Graph token anywhere', async () => {
    const guarded = await realServer({
      store: new MemoryStore(generateDataset({ seed: 42, accessPackages: 25, accessPackageCatalogs: 3, referenceDate: REFERENCE_DATE })),
      adminToken: 's3cret',
      fixtures: FIXTURES,
    });
    try {
      const url = `http://127.0.0.1:${guarded.port}`;
      const watched = await suite.openAt(url);
      const { page } = watched;
      const dialog = page.getByRole('dialog', { name: 'ADMIN_TOKEN' });
      await dialog.waitFor();
      await expect(text(dialog)).resolves.toContain('This emulator is started with ADMIN_TOKEN');
      await dialog.getByLabel(/^The token this emulator/).fill('wrong');
      await dialog.getByRole('button', { name: 'Use token' }).click();
      await expect(dialog.getByText('That token is not the ADMIN_TOKEN this emulator was started with.').waitFor()).resolves.toBeUndefined();
      await dialog.getByLabel(/^The token this emulator/).fill('s3cret');
      await dialog.getByRole('button', { name: 'Use token' }).click();
      await dataView.ready(page);
      expect(await dataView.count(page, 'accessPackages')).toBe(25);
      // A reload in the same tab does not ask again.
      await page.reload();
      await dataView.ready(page);
      expect(await dialog.isVisible()).toBe(false);
      const session = await page.locator('html').evaluate((html) => Object.fromEntries(Object.entries(html.ownerDocument.defaultView?.sessionStorage ?? {})));
      expect(session).toEqual({ 'emulator.adminToken': 's3cret' });
      // Nothing else kept: no cookie, no localStorage, no IndexedDB.
      expect(await page.context().storageState({ indexedDB: true })).toEqual({ cookies: [], origins: [] });
      // The only 401s were the admin API's own challenges, before the token was given.
      expect(watched.problems().every((p) => p.includes('status of 401') && p.includes('/_emulator/'))).toBe(true);
      // A fresh tab asks again.
      const other = await suite.openAt(url);
      await other.page.getByRole('dialog', { name: 'ADMIN_TOKEN' }).waitFor();
      // A token refused, then the dialog cancelled: nothing kept. It stops asking (the views poll), until the
      // person asks to enter the token; then it shows Forget.
      const otherDialog = other.page.getByRole('dialog', { name: 'ADMIN_TOKEN' });
      await otherDialog.getByLabel(/^The token this emulator/).fill('nope');
      await otherDialog.getByRole('button', { name: 'Use token' }).click();
      await otherDialog.getByText('That token is not the ADMIN_TOKEN this emulator was started with.').waitFor();
      await otherDialog.getByRole('button', { name: 'Cancel' }).click();
      const otherSession = await other.page.locator('html').evaluate((html) => Object.keys(html.ownerDocument.defaultView?.sessionStorage ?? {}));
      expect(otherSession).toEqual([]);
      const enter = other.page.getByRole('button', { name: 'Enter ADMIN_TOKEN' });
      await enter.waitFor();
      // Past the view's first read of its rules and the poll after it, both refused: neither asked again.
      const polled = afterRequests(other.page, '/_emulator/faults', 2);
      await other.page.getByRole('link', { name: 'Faults' }).click();
      // (or the dialog, had one of them asked: it holds the view's polling while it is open)
      await Promise.race([polled, otherDialog.waitFor()]);
      expect(await otherDialog.isVisible()).toBe(false);
      await enter.click();
      await otherDialog.getByLabel(/^The token this emulator/).fill('s3cret');
      await otherDialog.getByRole('button', { name: 'Use token' }).click();
      await other.page.getByRole('button', { name: 'Forget ADMIN_TOKEN' }).waitFor();
      await other.page.locator('table.rules[data-state="ready"]').waitFor();
      // The tenants, unread while the dialog was cancelled, are read once the token is given: the picker offers them.
      await other.page.locator('#tenant-picker:not([disabled]) option', { hasText: 'Other tenant…' }).waitFor({ state: 'attached' });
    } finally {
      await guarded.close();
    }
  });
});

inChromium('paging', () => {
  let big: RealServer;
  beforeAll(async () => {
    big = await realServer({ store: new MemoryStore(datasetOf({ accessPackages: benchRecords(10_000) })), fixtures: FIXTURES });
  });
  afterAll(() => big?.close());

  // Each page times itself; how long it takes is a target of `npm run bench:page` (bench/adminPage.ts), not of a test
  // on a shared machine.
  it('pages through 10,000 records by nextLink, every one of them once, each page timed by the page', async () => {
    const watched = await suite.openAt(`http://127.0.0.1:${big.port}`);
    const { page } = watched;
    await dataView.ready(page);
    await dataView.pageSize(page, 200);
    const seen = new Set(await dataView.ids(page));
    const times: number[] = [];
    // What a page drawn shows, read at once: its rows' ids, the pages drawn so far, the page's own clock (from the
    // key press to the frame that shows the rows: request, parsing, drawing, layout), and whether Next is still on.
    const drawn = () =>
      dataView.table(page).evaluate((table) => ({
        ids: [...table.querySelectorAll('tbody tr')].map((r) => String(r.getAttribute('data-id'))),
        loads: table.getAttribute('data-loads'),
        ms: Number(table.getAttribute('data-load-ms')),
        more: [...table.ownerDocument.querySelectorAll('button:not([disabled])')].some((b) => b.textContent === 'Next →'),
      }));
    // Paged from the keyboard, as a person paging through many does: Next keeps the focus while each page is drawn,
    // so Enter pages on (a press that found the focus elsewhere would draw no page, and the wait below would fail).
    await page.getByRole('button', { name: 'Next →' }).focus();
    let shown = await drawn();
    while (shown.more) {
      await page.keyboard.press('Enter');
      await inPage(page, `table[aria-labelledby="table-title"][data-state="ready"]:not([data-loads="${shown.loads}"])`);
      shown = await drawn();
      times.push(shown.ms);
      for (const id of shown.ids) seen.add(id);
    }
    await expect(page.getByRole('button', { name: 'Next →' }).isDisabled()).resolves.toBe(true);
    expect(seen.size).toBe(10_000);
    // The time beside the range, outside the pager's status region, which would read its range out again.
    expect(await text(page.locator('p.pager'))).toBe('9,801–10,000 of 10,000');
    expect(await text(page.locator('.pager-row > .timing'))).toMatch(/^ · \d+ ms$/);
    expect(times).toHaveLength(49);
    expect(times.every((ms) => ms > 0)).toBe(true);
    expect(watched.problems()).toEqual([]);
  }, 120_000);
});

inChromium('screenshots', () => {
  beforeAll(resetTenant);

  it('of the three views, for docs/admin-page.md', async () => {
    const { page } = await open();
    await dataView.ready(page);
    await dataView.open(page, (await dataView.names(page))[0]!);
    const files = [await screenshot(page, 'data')];
    await faultsView.open(page);
    await faultsView.add(page, {
      template: '429 Too Many Requests, with Retry-After',
      method: 'POST',
      path: '/beta/**/accessPackages',
      name: 'throttled creates',
    });
    await faultsView.add(page, { template: 'Latency', method: 'GET', effect: { 'Delay (ms)': '50', 'Up to (ms)': '150' } });
    for (let i = 0; i < 3; i++) await graph('GET', `${PACKAGES}?$top=${i + 1}`);
    expect((await graph('POST', PACKAGES, { displayName: 'Throttled' })).status).toBe(429);
    await page.locator('table.rules tr[data-index="1"] td.fired', { hasText: '3' }).waitFor();
    files.push(await screenshot(page, 'faults'));
    await requestsView.open(page);
    await page.getByRole('heading', { name: 'Requests' }).waitFor();
    await requestsView.rows(page).first().waitFor();
    files.push(await screenshot(page, 'requests'));
    // Each a PNG of the whole window: the signature, then the header's width and height.
    for (const file of files) {
      const png = await readFile(file);
      expect({ file: path.basename(file), signature: png.subarray(0, 8).toString('hex'), width: png.readUInt32BE(16), height: png.readUInt32BE(20) }).toEqual({
        file: path.basename(file),
        signature: '89504e470d0a1a0a',
        ...page.viewportSize(),
      });
    }
  });
});
