// The faults view: the rules (/_emulator/faults) with how often each matched and fired, refreshed every two
// seconds while the view is open; a rule added from a template (POST), one removed or all (PUT of the rest: the
// API replaces the list, which restarts the counts and the seeded random sequence), and the throttling profile
// switched on or off with its numbers (PUT with `throttle`, or `throttle: null`).
import { fill, h, message } from './dom.js';
import { addRuleForm } from './faultRuleForm.js';
import { describeEffect, describeMatch, type StoredRule as Rule, withoutCounters } from './faultTemplates.js';
import { adminJson, describeError } from './http.js';
import { type Throttle, throttleForm } from './throttleForm.js';

interface Settings {
  rules: Rule[];
  throttle?: Throttle;
}

export const REFRESH_MS = 2000;
const sameRules = (a: readonly Rule[], b: readonly Rule[]) => JSON.stringify(a.map(withoutCounters)) === JSON.stringify(b.map(withoutCounters));

export function faultsView(container: HTMLElement): () => void {
  let settings: Settings = { rules: [] };
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const error = message('error');
  const info = message('info');
  const rows = h('tbody');
  const table = h(
    'table',
    { class: 'rules', 'aria-labelledby': 'rules-title', 'data-state': 'loading' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ...['#', 'Name', 'Match', 'Effect', 'Matched', 'Fired'].map((c) => h('th', { scope: 'col' }, c)),
        // The Delete buttons' column: named for a screen reader, out of sight (each button says what it does).
        h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')),
      ),
    ),
    rows,
  );

  const said = (text: string) => {
    error.clear();
    info.show(text);
  };
  const failed = (err: unknown) => {
    info.clear();
    error.show(describeError(err));
  };

  const renderRules = () => {
    // A Delete button that had the focus is replaced with its row: the focus goes to the Delete of the rule now in
    // its place (the next one), else the one before, else the add form's first field, not to the page's top.
    const focusedRow = document.activeElement?.closest('tr[data-index]');
    const focusedIndex =
      focusedRow !== null && focusedRow !== undefined && rows.contains(focusedRow) ? Number(focusedRow.getAttribute('data-index')) : undefined;
    fill(
      rows,
      settings.rules.length === 0 ? h('tr', {}, h('td', { colspan: 7, class: 'muted' }, 'No rules: every Graph request answers normally.')) : null,
      settings.rules.map((rule, i) =>
        h(
          'tr',
          { 'data-index': i },
          h('td', {}, String(i)),
          h('td', {}, String(rule['name'] ?? '')),
          h('td', {}, describeMatch(rule)),
          h('td', {}, describeEffect(rule)),
          h('td', { class: 'matched' }, String(rule.matched)),
          h('td', { class: 'fired' }, String(rule.fired)),
          h('td', {}, h('button', { type: 'button', class: 'secondary', 'aria-label': `Delete rule ${i}`, onclick: () => void removeRule(rule) }, 'Delete')),
        ),
      ),
    );
    table.dataset['state'] = 'ready';
    if (focusedIndex === undefined) return;
    const buttons = rows.querySelectorAll<HTMLButtonElement>('tr[data-index] button');
    (buttons[Math.min(focusedIndex, buttons.length - 1)] ?? addRule.firstField)?.focus();
  };

  /**
   * New counts in place (focus stays where it is); a changed list is drawn anew. The throttle form is drawn again
   * only when the stored profile changed or `redraw.throttle` (after Apply): edits not applied yet stay otherwise.
   */
  let refreshFailed = false;
  const refresh = async (redraw: { rules?: boolean; throttle?: boolean } = {}) => {
    clearTimeout(timer);
    try {
      const fresh = await adminJson<Settings>('GET', '/_emulator/faults');
      // The emulator answers again: what said it did not is no longer true.
      if (refreshFailed) error.clear();
      refreshFailed = false;
      const changedList = redraw.rules === true || !sameRules(fresh.rules, settings.rules);
      const throttleChanged = redraw.throttle === true || JSON.stringify(fresh.throttle) !== JSON.stringify(settings.throttle);
      settings = fresh;
      if (changedList) renderRules();
      else
        rows.querySelectorAll('tr[data-index]').forEach((tr, i) => {
          tr.querySelector('.matched')!.textContent = String(settings.rules[i]?.matched ?? '');
          tr.querySelector('.fired')!.textContent = String(settings.rules[i]?.fired ?? '');
        });
      if (throttleChanged) renderThrottle();
    } catch (err) {
      refreshFailed = true;
      failed(err);
    }
    if (!stopped) timer = setTimeout(() => void (document.hidden ? undefined : refresh()), REFRESH_MS);
  };

  const put = async (body: { rules: Record<string, unknown>[]; throttle?: Throttle | null }, text: string) => {
    try {
      await adminJson('PUT', '/_emulator/faults', body);
      said(text);
    } catch (err) {
      failed(err);
    }
    await refresh({ rules: true, throttle: body.throttle !== undefined });
  };

  /**
   * The rules and the profile as they are now, not as last drawn: a PUT replaces both, and the page may never have
   * loaded them (a failed first load) or another client may have changed them since. Undefined when unread.
   */
  const currentSettings = async (): Promise<Settings | undefined> => {
    try {
      return await adminJson<Settings>('GET', '/_emulator/faults');
    } catch (err) {
      failed(err);
      return undefined;
    }
  };

  const removeRule = async (rule: Rule) => {
    const current = await currentSettings();
    if (current === undefined) return;
    const wanted = JSON.stringify(withoutCounters(rule));
    const index = current.rules.findIndex((r) => JSON.stringify(withoutCounters(r)) === wanted);
    if (index === -1) {
      said('That rule is gone already.');
      await refresh({ rules: true });
      return;
    }
    await put({ rules: current.rules.filter((_, i) => i !== index).map(withoutCounters) }, `Deleted rule ${index}.`);
  };

  const throttle = throttleForm(async () => {
    const current = await currentSettings();
    if (current === undefined) return;
    const edited = throttle.edited();
    // Fields the form does not edit (the profile's tenant) stay as they are.
    const profile = edited === null ? null : { ...current.throttle, ...edited };
    await put({ rules: current.rules.map(withoutCounters), throttle: profile }, edited === null ? 'Throttling off.' : 'Throttling on.');
  });
  const renderThrottle = () => throttle.render(settings.throttle);
  const addRule = addRuleForm(() => refresh({ rules: true }));

  const removeAll = () => void put({ rules: [] }, 'Removed every rule.');
  fill(
    container,
    h(
      'div',
      { class: 'faults-layout' },
      h(
        'section',
        { class: 'table-area', 'aria-labelledby': 'rules-title' },
        h('h2', { id: 'rules-title' }, 'Fault rules'),
        h('p', { class: 'muted' }, 'Tried in order on every Graph request; /_emulator/* is never faulted.'),
        info.element,
        error.element,
        h('div', { class: 'table-scroll' }, table),
        h('div', { class: 'actions' }, h('button', { type: 'button', class: 'danger', onclick: removeAll }, 'Remove all rules')),
        h('div', {}, throttle.element),
      ),
      h('div', { class: 'sidebar' }, addRule.form),
    ),
  );
  renderThrottle();
  void refresh({ rules: true });
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
