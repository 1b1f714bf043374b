// The faults view: the rules (/_emulator/faults) with how often each matched and fired, refreshed every two
// seconds while the view is open; a rule added from a template (POST), one removed or all (PUT of the rest: the
// API replaces the list, which restarts the counts and the seeded random sequence), and the throttling profile
// switched on or off with its numbers (PUT with `throttle`, or `throttle: null`).
import { checkbox, field, fill, h, message, option, prettyJson, uid } from './dom.js';
import { adminJson, ApiError, describeError } from './http.js';
import { describeEffect, describeMatch, FAULT_TEMPLATES, type FaultTemplate, fieldNamed, type MatchFields, ruleOf, withoutCounters } from './faultTemplates.js';

type Rule = Record<string, unknown> & { matched: number; fired: number };
interface Throttle {
  capacity: number;
  refillPerSecond: number;
  key?: 'token' | 'client-request-id';
  headers?: boolean;
  /** The one tenant it throttles; absent: every tenant. */
  tenant?: string;
}
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
  const throttleArea = h('div');
  /** Where focus goes when no rule is left to delete: the add form's first field (set when the form is made). */
  let firstAddField: HTMLElement | undefined;

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
    (buttons[Math.min(focusedIndex, buttons.length - 1)] ?? firstAddField)?.focus();
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

  const addForm = () => {
    const template = h('select', {}, ...FAULT_TEMPLATES.map((t) => option(t.id, t.label)));
    const effectArea = h('div', { class: 'fields' });
    const method = h('select', {}, option('', 'any'), ...['GET', 'POST', 'PATCH', 'PUT', 'DELETE'].map((m) => option(m, m)));
    const match = {
      name: h('input', { type: 'text', autocomplete: 'off' }),
      path: h('input', { type: 'text', placeholder: '/beta/**/accessPackages', autocomplete: 'off' }),
      probability: h('input', { type: 'number', min: 0, max: 1, step: 'any', placeholder: '1' }),
      after: h('input', { type: 'number', min: 0, step: 1, placeholder: '0' }),
      every: h('input', { type: 'number', min: 1, step: 1, placeholder: '1' }),
      times: h('input', { type: 'number', min: 1, step: 1, placeholder: 'unlimited' }),
    };
    // Not a live region: it changes on every keystroke. A named region a keyboard can scroll.
    const preview = h('pre', { class: 'json', role: 'region', tabindex: 0, 'aria-label': 'Rule JSON' });
    // The answer to Add rule, next to its button; a field Graph's message names is marked invalid.
    const formError = message('error');
    const formInfo = message('info');
    formError.element.id = uid('add-error');
    let effectInputs: Record<string, HTMLInputElement | HTMLSelectElement> = {};
    const chosen = (): FaultTemplate => FAULT_TEMPLATES.find((t) => t.id === template.value) ?? FAULT_TEMPLATES[0]!;
    const rule = () => {
      const effect = Object.fromEntries(Object.entries(effectInputs).map(([k, input]) => [k, input.value]));
      const fields: MatchFields = { method: method.value, ...Object.fromEntries(Object.entries(match).map(([k, input]) => [k, input.value])) };
      return ruleOf(chosen(), effect, fields);
    };
    const update = () => (preview.textContent = prettyJson(rule()));
    const showTemplate = () => {
      const t = chosen();
      effectInputs = {};
      fill(
        effectArea,
        t.fields.map((f) => {
          const input = f.choices
            ? h('select', {}, ...f.choices.map((c) => option(c, c, c === f.initial)))
            : h('input', { type: 'number', min: 0, step: 1, value: f.initial });
          input.addEventListener('input', update);
          effectInputs[f.key] = input;
          return field(f.label, input, f.hint);
        }),
      );
      // A template that names a method sets it; one that names none leaves the method the person chose.
      if (t.method !== undefined) method.value = t.method;
      else if (!methodChosen) method.value = '';
      update();
    };
    let methodChosen = false;
    method.addEventListener('change', () => (methodChosen = true));
    template.addEventListener('change', showTemplate);
    for (const input of [method, ...Object.values(match)]) input.addEventListener('input', update);
    const inputs = (): Record<string, HTMLInputElement | HTMLSelectElement> => ({ ...match, method, ...effectInputs });
    const unmark = () => {
      for (const input of [template, ...Object.values(inputs())]) {
        input.removeAttribute('aria-invalid');
        const described = (input.getAttribute('aria-describedby') ?? '').split(' ').filter((id) => id !== '' && id !== formError.element.id);
        if (described.length > 0) input.setAttribute('aria-describedby', described.join(' '));
        else input.removeAttribute('aria-describedby');
      }
    };
    const submit = async (event: Event) => {
      event.preventDefault();
      unmark();
      try {
        const added = await adminJson<Rule>('POST', '/_emulator/faults', rule());
        formError.clear();
        formInfo.show(`Added rule: ${describeEffect(added)} on ${describeMatch(added)}.`);
        await refresh({ rules: true });
      } catch (err) {
        formInfo.clear();
        formError.show(describeError(err));
        const key = fieldNamed(err instanceof ApiError ? err.message : '');
        const input = key === undefined ? undefined : inputs()[key];
        if (input !== undefined) {
          input.setAttribute('aria-invalid', 'true');
          input.setAttribute('aria-describedby', [input.getAttribute('aria-describedby'), formError.element.id].filter(Boolean).join(' '));
        }
      }
    };
    showTemplate();
    firstAddField = template;
    return h(
      'form',
      {
        class: 'panel',
        'aria-labelledby': 'add-title',
        onsubmit: submit,
        // A field edited after a refusal is no longer the one the message is about.
        oninput: (event: Event) => (event.target as Element).removeAttribute('aria-invalid'),
      },
      h('h2', { id: 'add-title' }, 'Add a rule'),
      field('Template', template),
      effectArea,
      h(
        'fieldset',
        { class: 'fields' },
        h('legend', {}, 'Match'),
        field('Name', match.name),
        field('Method', method),
        field('Path (glob)', match.path),
        field('Probability', match.probability),
        field('After', match.after, 'matches let through first'),
        field('Every', match.every, 'fire on every n-th match'),
        field('Times', match.times, 'at most'),
      ),
      preview,
      h('button', { type: 'submit' }, 'Add rule'),
      formInfo.element,
      formError.element,
    );
  };

  // The throttle form is made once; renderThrottle sets its fields to the stored profile. Apply keeps the focus.
  const throttleOn = h('input', { type: 'checkbox' });
  const capacity = h('input', { type: 'number', min: 1, max: 1_000_000, step: 1, required: true });
  const refill = h('input', { type: 'number', min: 0.001, max: 1_000_000, step: 'any', required: true });
  const throttleKey = h('select', {}, option('token', 'bearer token'), option('client-request-id', 'client-request-id'));
  const throttleHeaders = h('input', { type: 'checkbox' });
  const throttleSummary = h('p', { class: 'muted' });
  const apply = async (event: Event) => {
    event.preventDefault();
    const current = await currentSettings();
    if (current === undefined) return;
    // Fields the form does not edit (the profile's tenant) stay as they are.
    const throttle = throttleOn.checked
      ? {
          ...current.throttle,
          capacity: Number(capacity.value),
          refillPerSecond: Number(refill.value),
          key: throttleKey.value as Throttle['key'],
          headers: throttleHeaders.checked,
        }
      : null;
    await put({ rules: current.rules.map(withoutCounters), throttle }, throttleOn.checked ? 'Throttling on.' : 'Throttling off.');
  };
  fill(
    throttleArea,
    h(
      'form',
      { class: 'panel', 'aria-labelledby': 'throttle-title', onsubmit: (event: Event) => void apply(event) },
      h('h2', { id: 'throttle-title' }, 'Throttling profile'),
      throttleSummary,
      checkbox('Throttle every client (token bucket)', throttleOn),
      h('div', { class: 'fields' }, field('Capacity (burst)', capacity), field('Refill per second', refill), field('Client is', throttleKey)),
      checkbox("Send Graph's throttle headers", throttleHeaders),
      h('p', { class: 'muted' }, 'Applying puts the rules back as they are: their counts start again.'),
      h('button', { type: 'submit' }, 'Apply'),
    ),
  );

  function renderThrottle(): void {
    const profile = settings.throttle;
    throttleOn.checked = profile !== undefined;
    capacity.value = String(profile?.capacity ?? 60);
    refill.value = String(profile?.refillPerSecond ?? 1);
    throttleKey.value = profile?.key === 'client-request-id' ? 'client-request-id' : 'token';
    throttleHeaders.checked = profile?.headers !== false;
    throttleSummary.textContent =
      profile === undefined
        ? 'Off.'
        : `On: ${profile.capacity} requests per client, ${profile.refillPerSecond} back per second${profile.tenant === undefined ? '' : `, tenant ${profile.tenant} only`}.`;
  }

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
        throttleArea,
      ),
      h('div', { class: 'sidebar' }, addForm()),
    ),
  );
  renderThrottle();
  void refresh({ rules: true });
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
