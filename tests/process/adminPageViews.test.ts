// The requests and faults views of the admin page in a real headless Chromium, as a keyboard and screen-reader
// user meets them: where the focus is after each action, which elements stay the same while the views refresh,
// where answers are said, and the roles, names and states the controls expose. One browser for the file; a fresh
// context per page; the emulator on a real socket.
import { beforeEach, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { generateDataset } from '../../server/tenantData/generate.js';
import { afterRequests, faultsView, focusedControl, requestsView, text } from '../support/adminPage.js';
import { browserAndEmulator, inChromium } from '../support/adminPageSuite.js';
import { realServer } from '../support/realServer.js';

const REFERENCE_DATE = '2026-11-01T00:00:00.000Z';
const FIXTURES = { fixtures: 'small', seed: 42, referenceDate: REFERENCE_DATE };
const PACKAGES = '/beta/identityGovernance/entitlementManagement/accessPackages';

const suite = browserAndEmulator(() =>
  realServer({
    store: new MemoryStore(generateDataset({ seed: 42, accessPackages: 25, accessPackageCatalogs: 3, referenceDate: REFERENCE_DATE })),
    fixtures: FIXTURES,
  }),
);
const open = suite.open;

/** A Graph request from outside the page: an entry in the journal, its path `…/accessPackages/<id>`. */
async function graphRequest(id: string): Promise<void> {
  const res = await fetch(`${suite.base()}${PACKAGES}/${id}`, { headers: { Authorization: 'Bearer t' } });
  await res.arrayBuffer();
}

async function putFaults(settings: unknown): Promise<void> {
  const res = await fetch(`${suite.base()}/_emulator/faults`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(settings),
  });
  expect(res.status).toBe(200);
}

const focused = focusedControl;

/** The data-id of the requests row whose button has the focus. */
function focusedRow(page: Page): Promise<string | null | undefined> {
  return page.locator('body').evaluate((body) => body.ownerDocument.activeElement?.closest('tr')?.getAttribute('data-id'));
}

inChromium('requests view', () => {
  it('a poll puts the new entries above the rows, and leaves the focused row the same element, focused once', async () => {
    await graphRequest('entry-1');
    const { page } = await open('/_emulator/ui/requests');
    const first = requestsView.rows(page).first();
    await first.waitFor();
    const id = await first.getAttribute('data-id');
    await first.getByRole('button').focus();
    // The row element is marked, and every focus change counted from here on.
    await page.locator('body').evaluate((body) => {
      const document = body.ownerDocument;
      const window = document.defaultView;
      document.activeElement.closest('tr').marked = true;
      window.focusChanges = 0;
      document.addEventListener('focusin', () => (window.focusChanges += 1));
    });
    const before = await requestsView.rows(page).count();
    await graphRequest('entry-2');
    await graphRequest('entry-3');
    await requestsView
      .rows(page)
      .nth(before + 1)
      .waitFor();
    // Past one more poll: nothing else arrives, nothing is drawn again.
    await afterRequests(page, '/_emulator/requests');

    const ids = await requestsView.rows(page).evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')));
    expect(ids.indexOf(id)).toBe(2);
    const after = await page.locator('body').evaluate((body) => {
      const row = body.ownerDocument.activeElement?.closest('tr');
      return {
        id: row?.getAttribute('data-id'),
        sameElement: row?.marked === true,
        focusChanges: body.ownerDocument.defaultView.focusChanges,
      };
    });
    expect(after).toEqual({ id, sameElement: true, focusChanges: 0 });
    // The two new rows, newest on top.
    expect(await text(requestsView.rows(page).nth(0))).toContain('/entry-3');
    expect(await text(requestsView.rows(page).nth(1))).toContain('/entry-2');
  });

  it('an opened entry: its row is the current one, its bodies are named regions, Close and Escape return to its row', async () => {
    await graphRequest('entry-4');
    const { page } = await open('/_emulator/ui/requests');
    const row = requestsView.rows(page).filter({ hasText: '/entry-4' }).first();
    await row.waitFor();
    const id = await row.getAttribute('data-id');
    await row.getByRole('button').focus();
    await page.keyboard.press('Enter');
    const detail = page.locator('aside[aria-labelledby="entry-title"]');
    await detail.getByRole('heading', { level: 2 }).waitFor();

    expect(await page.locator('table.requests tr[aria-current="true"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')))).toEqual([id]);
    for (const name of ['Request body', 'Response body']) {
      const region = detail.getByRole('region', { name, exact: true });
      expect(await region.evaluate((el) => [el.tagName, el.getAttribute('tabindex')])).toEqual(['PRE', '0']);
    }
    await expect(text(detail.getByLabel('Response body'))).resolves.toContain('"error"');

    await detail.getByRole('button', { name: 'Close' }).focus();
    await page.keyboard.press('Enter');
    await detail.waitFor({ state: 'hidden' });
    expect(await focused(page)).toEqual({ tag: 'button', name: expect.stringContaining('/entry-4') });
    expect(await focusedRow(page)).toBe(id);
    expect(await page.locator('table.requests tr[aria-current]').count()).toBe(0);

    // Escape, from anywhere in the detail, closes it the same way.
    await page.keyboard.press('Enter');
    await detail.getByRole('heading', { level: 2 }).waitFor();
    await detail.getByRole('region', { name: 'Request body' }).focus();
    await page.keyboard.press('Escape');
    await detail.waitFor({ state: 'hidden' });
    expect(await focusedRow(page)).toBe(id);
    expect(await page.locator('table.requests tr[aria-current]').count()).toBe(0);
  });

  it('Pause keeps its name and says with aria-pressed whether it is on', async () => {
    await graphRequest('entry-5');
    const { page } = await open('/_emulator/ui/requests');
    await requestsView.rows(page).first().waitFor();
    await page.getByRole('button', { name: 'Pause', pressed: false }).click();
    await page.getByRole('button', { name: 'Pause', pressed: true }).waitFor();
    expect(await page.getByRole('button', { name: 'Resume' }).count()).toBe(0);
    // Paused: a new entry does not come in.
    const before = await requestsView.rows(page).count();
    await graphRequest('entry-6');
    await page.waitForTimeout(1500);
    expect(await requestsView.rows(page).count()).toBe(before);
    await page.getByRole('button', { name: 'Pause', pressed: true }).click();
    await page.getByRole('button', { name: 'Pause', pressed: false }).waitFor();
    await requestsView.rows(page).nth(before).waitFor();
  });

  it('with no answer from the emulator, the poll and Clear journal say so in words, once', async () => {
    await graphRequest('entry-7');
    const { page } = await open('/_emulator/ui/requests');
    await requestsView.rows(page).first().waitFor();
    const alert = page.getByRole('region', { name: 'Requests' }).getByRole('alert');
    const noAnswer = /^No answer from the emulator \(.+\): is it running, on this address\?$/;

    await page.route('**/_emulator/requests*', (route) => (route.request().method() === 'DELETE' ? route.abort('connectionrefused') : route.continue()));
    await page.getByRole('button', { name: 'Clear journal' }).click();
    // Waited for and matched at once: a poll answered right after it clears the alert, as it should.
    await alert.filter({ hasText: noAnswer }).waitFor();
    await page.unroute('**/_emulator/requests*');

    // The poll: every answer missing, the alert says it once and is not set again each second.
    await page.route('**/_emulator/requests*', (route) => route.abort('connectionrefused'));
    await alert.filter({ hasText: noAnswer }).waitFor();
    await alert.evaluate((el) => {
      const watched = el.ownerDocument.defaultView;
      watched.alertChanges = 0;
      new watched.MutationObserver((changes: unknown[]) => (watched.alertChanges += changes.length)).observe(el, {
        childList: true,
        characterData: true,
        subtree: true,
      });
    });
    await afterRequests(page, '/_emulator/requests', 2);
    expect(await alert.evaluate((el) => el.ownerDocument.defaultView.alertChanges)).toBe(0);
    expect(await text(alert)).toMatch(noAnswer);
  });
});

inChromium('faults view', () => {
  beforeEach(async () => {
    const res = await fetch(`${suite.base()}/_emulator/faults`, { method: 'DELETE' });
    expect(res.status).toBe(204);
  });

  it('a refused rule is said beside Add rule, inside the form, with the field it names marked invalid; an added one there too', async () => {
    const { page } = await open('/_emulator/ui/faults', { viewport: { width: 320, height: 640 } });
    await page.locator('table.rules[data-state="ready"]').waitFor();
    const form = page.getByRole('form', { name: 'Add a rule' });
    const button = form.getByRole('button', { name: 'Add rule' });
    const path = form.getByLabel('Path (glob)');
    await path.fill('no-slash[');
    await button.focus();
    await page.keyboard.press('Enter');
    const alert = form.getByRole('alert');
    await alert.filter({ hasText: 'rule.path' }).waitFor();

    expect(await text(alert)).toMatch(/^400 BadRequest: rule\.path must /);
    // Right after the button, in sight where the button is (a narrow window: not a screen away).
    expect(await button.evaluate((b, a) => b.compareDocumentPosition(a) & b.DOCUMENT_POSITION_FOLLOWING, await alert.elementHandle())).toBeTruthy();
    expect(
      await alert.evaluate((el) => el.getBoundingClientRect().top < el.ownerDocument.defaultView.innerHeight && el.getBoundingClientRect().bottom > 0),
    ).toBe(true);
    expect(await path.getAttribute('aria-invalid')).toBe('true');
    expect((await path.getAttribute('aria-describedby'))?.split(' ')).toContain(await alert.getAttribute('id'));
    expect(await form.getByLabel('Name').getAttribute('aria-invalid')).toBeNull();
    expect(await text(page.getByRole('region', { name: 'Fault rules' }).getByRole('alert'))).toBe('');
    expect(await focused(page)).toEqual({ tag: 'button', name: 'Add rule' });

    // Edited, the field is no longer marked; added, the form says so where the refusal was.
    await path.fill('/beta/**/accessPackageCatalogs');
    expect(await path.getAttribute('aria-invalid')).toBeNull();
    await button.click();
    await form.getByRole('status').filter({ hasText: 'Added rule' }).waitFor();
    expect(await text(form.getByRole('status'))).toBe('Added rule: 429, Retry-After 10 s on any method /beta/**/accessPackageCatalogs.');
    expect(await text(alert)).toBe('');
    expect((await path.getAttribute('aria-describedby')) ?? '').not.toContain(await alert.getAttribute('id'));

    // A message naming a nested field: the latency range the wrong way round marks its first field.
    await form.getByLabel('Template').selectOption({ label: 'Latency' });
    await form.getByLabel('Delay (ms)', { exact: true }).fill('500');
    await form.getByLabel('Up to (ms)', { exact: true }).fill('100');
    await button.click();
    await alert.filter({ hasText: 'rule.latency.min' }).waitFor();
    expect(await form.getByLabel('Delay (ms)', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await path.getAttribute('aria-invalid')).toBeNull();
  });

  it('the rule JSON preview is a named region, not a live one, and the Delete column is named Actions', async () => {
    const { page } = await open('/_emulator/ui/faults');
    await page.locator('table.rules[data-state="ready"]').waitFor();
    const preview = page.getByRole('form', { name: 'Add a rule' }).getByRole('region', { name: 'Rule JSON' });
    expect(await preview.evaluate((el) => [el.tagName, el.getAttribute('aria-live'), el.getAttribute('tabindex')])).toEqual(['PRE', null, '0']);
    expect(JSON.parse(await text(preview))).toEqual({ status: 429, retryAfter: 10 });
    const actions = page.getByRole('table', { name: 'Fault rules' }).getByRole('columnheader', { name: 'Actions', exact: true });
    expect(await actions.count()).toBe(1);
    expect(await actions.locator('.visually-hidden').count()).toBe(1);
  });

  it("after a rule's Delete the focus goes to the next rule's Delete, else the one before, else the add form's first field", async () => {
    await putFaults({ rules: ['first', 'second', 'third'].map((name) => ({ name, status: 503, path: `/beta/${name}` })) });
    const { page } = await open('/_emulator/ui/faults');
    await faultsView.rows(page).nth(2).waitFor();

    await page.getByRole('button', { name: 'Delete rule 1' }).focus();
    await page.keyboard.press('Enter');
    await faultsView.rows(page).nth(2).waitFor({ state: 'detached' });
    expect(await focused(page)).toEqual({ tag: 'button', name: 'Delete rule 1' });
    expect(await page.locator('body').evaluate((body) => body.ownerDocument.activeElement?.closest('tr')?.textContent)).toContain('third');

    // The last rule: the focus goes to the one before.
    await page.keyboard.press('Enter');
    await faultsView.rows(page).nth(1).waitFor({ state: 'detached' });
    expect(await focused(page)).toEqual({ tag: 'button', name: 'Delete rule 0' });

    await page.keyboard.press('Enter');
    await page.getByText('No rules: every Graph request answers normally.').waitFor();
    expect(await focused(page)).toEqual({ tag: 'select', name: 'Template' });
    expect(await (await fetch(`${suite.base()}/_emulator/faults`)).json()).toEqual({ rules: [] });
  });

  it('throttle edits not applied stay when a rule is added or deleted; Apply keeps the focus; a stored change shows', async () => {
    const { page } = await open('/_emulator/ui/faults');
    await page.locator('table.rules[data-state="ready"]').waitFor();
    const capacity = page.getByLabel('Capacity (burst)');
    await page.getByLabel('Throttle every client (token bucket)').check();
    await capacity.fill('77');

    await faultsView.add(page, { template: '500 Internal Server Error', method: 'DELETE' });
    expect(await capacity.inputValue()).toBe('77');
    await faultsView.remove(page, 0);
    expect(await capacity.inputValue()).toBe('77');
    // Past a refresh of the counts.
    await afterRequests(page, '/_emulator/faults');
    expect(await capacity.inputValue()).toBe('77');
    expect(await page.getByLabel('Throttle every client (token bucket)').isChecked()).toBe(true);

    await page.getByRole('button', { name: 'Apply' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText('On: 77 requests per client, 1 back per second.').waitFor();
    expect(await focused(page)).toEqual({ tag: 'button', name: 'Apply' });

    // Another client changes the stored profile: the form shows it.
    await putFaults({ rules: [], throttle: { capacity: 5, refillPerSecond: 2 } });
    await page.getByText('On: 5 requests per client, 2 back per second.').waitFor();
    expect(await capacity.inputValue()).toBe('5');
    await fetch(`${suite.base()}/_emulator/faults`, { method: 'DELETE' });
  });
});
