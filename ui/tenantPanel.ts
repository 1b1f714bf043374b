// Tenant actions: reset to a fixture set and seed (POST /_emulator/reset), the export as a download
// (GET /_emulator/export), and named baselines (/_emulator/snapshots: save the tenant, restore it later).
// Every call names the tenant in view; baselines say "not available" on an emulator without them.
import sets from '../fixtures/sets.json';
import { confirmation, field, fill, formatNumber, h, keepingFocus, message, option } from './dom.js';
import { adminFetch, adminJson, ApiError, describeError, isUnavailable, withQuery } from './http.js';
import { tenants } from './tenants.js';

interface Baseline {
  name: string;
  createdDateTime: string;
  records: Record<string, number>;
}

const total = (records: Record<string, number>) => Object.values(records).reduce((a, b) => a + b, 0);

function resetForm(done: (text: string) => void, failed: (text: string) => void): HTMLElement {
  const set = h('select', {}, option('', 'As configured (FIXTURES)'), ...Object.entries(sets).map(([name, s]) => option(name, `${name}: ${s.description}`)));
  const seed = h('input', { type: 'number', min: 0, max: 2 ** 31 - 1, step: 1, placeholder: 'as configured (SEED)', inputmode: 'numeric' });
  const submit = h('button', { type: 'submit' }, 'Reset tenant…');
  const reset = async () => {
    // The question is gone: focus goes back to the button that asked it, where the answer's message follows.
    submit.focus();
    const body: Record<string, unknown> = {};
    if (set.value !== '') body['fixtures'] = set.value;
    if (seed.value !== '') body['seed'] = Number(seed.value);
    try {
      const answer = await adminJson<{ fixtures: string; seed: number | null; records: Record<string, number> }>(
        'POST',
        withQuery('/_emulator/reset', tenants.query()),
        body,
      );
      done(`Reset to ${answer.fixtures}${answer.seed === null ? '' : ` (seed ${answer.seed})`}: ${formatNumber(total(answer.records))} records.`);
    } catch (err) {
      failed(describeError(err));
    }
  };
  const confirm = confirmation('Replace every record of this tenant?', 'Reset', 'Cancel', () => void reset());
  const ask = (event: Event) => {
    event.preventDefault();
    confirm.ask(submit);
  };
  return h('form', { class: 'stack', 'aria-label': 'Reset', onsubmit: ask }, field('Fixture set', set), field('Seed', seed), submit, confirm.element);
}

async function download(failed: (text: string) => void): Promise<void> {
  let blob: Blob;
  try {
    const res = await adminFetch('GET', withQuery('/_emulator/export', tenants.query()));
    if (!res.ok) {
      const text = await res.text();
      let message = '';
      try {
        message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? '';
      } catch {
        // Not Graph's envelope: the status says it.
      }
      failed(`Export failed: ${res.status}${message === '' ? '' : ` ${message}`}`);
      return;
    }
    blob = await res.blob();
  } catch (err) {
    failed(`Export failed: ${describeError(err)}`);
    return;
  }
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: `emulator-export-${tenants.current.id}-${new Date().toISOString().slice(0, 10)}.json`, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function baselines(changed: (text: string) => void, failed: (text: string) => void): { element: HTMLElement; close: () => void } {
  const list = h('ul', { class: 'baselines' });
  const name = h('input', { type: 'text', required: true, pattern: '[A-Za-z0-9][A-Za-z0-9._\\-]{0,63}', placeholder: 'before-test' });
  const section = h('div', { class: 'stack' });
  const path = (n: string, tail = '') => withQuery(`/_emulator/snapshots/${encodeURIComponent(n)}${tail}`, tenants.query());

  const act = async (method: string, url: string, said: string) => {
    try {
      await adminJson(method, url);
      changed(said);
      await load();
    } catch (err) {
      failed(describeError(err));
    }
  };
  const load = async () => {
    let answer: { value: Baseline[] };
    try {
      answer = await adminJson('GET', withQuery('/_emulator/snapshots', tenants.query()));
    } catch (err) {
      // A tenant its first Graph request has not added yet has no baseline either.
      const noTenantYet = err instanceof ApiError && err.status === 404 && err.message.startsWith('There is no tenant');
      if (!noTenantYet) {
        fill(section, h('p', { class: 'muted' }, isUnavailable(err) ? 'Named baselines: not available on this emulator.' : describeError(err)));
        return;
      }
      answer = { value: [] };
    }
    // The list is drawn again after each action: focus stays on the same baseline's button, or goes to the name
    // field when its baseline is gone.
    keepingFocus(
      section,
      () => draw(answer.value),
      () => name,
    );
  };
  const draw = (saved: Baseline[]) => {
    fill(
      list,
      saved.length === 0 ? h('li', { class: 'muted' }, 'No baseline saved yet.') : null,
      saved.map((b) =>
        h(
          'li',
          {},
          h('span', {}, `${b.name} · ${formatNumber(total(b.records))} records · ${b.createdDateTime.slice(0, 19).replace('T', ' ')}`),
          ...baselineActions(b.name),
        ),
      ),
    );
    const save = (e: Event) => {
      e.preventDefault();
      void act('PUT', path(name.value), `Saved baseline ${name.value}.`);
    };
    fill(
      section,
      list,
      h(
        'form',
        { class: 'inline', 'aria-label': 'Save a baseline', onsubmit: save },
        field('Baseline name', name),
        h('button', { type: 'submit', 'data-focus': 'save' }, 'Save baseline'),
      ),
    );
  };
  /** Restore (after a question: it replaces every record, as a reset does) and Delete, each naming its baseline. */
  const baselineActions = (baseline: string): HTMLElement[] => {
    const restore = h(
      'button',
      {
        type: 'button',
        class: 'secondary',
        'aria-label': `Restore baseline ${baseline}`,
        'data-focus': `restore:${baseline}`,
        onclick: (event: Event) => confirm.ask(event.currentTarget as Element),
      },
      'Restore',
    );
    const confirm = confirmation(`Replace every record of this tenant with baseline ${baseline}?`, 'Restore', 'Cancel', () => {
      restore.focus();
      void act('POST', path(baseline, '/restore'), `Restored baseline ${baseline}.`);
    });
    const remove = h(
      'button',
      {
        type: 'button',
        class: 'secondary',
        'aria-label': `Delete baseline ${baseline}`,
        'data-focus': `delete:${baseline}`,
        onclick: () => act('DELETE', path(baseline), `Deleted baseline ${baseline}.`),
      },
      'Delete',
    );
    return [restore, remove, confirm.element];
  };
  void load();
  // Another tenant picked: its own baselines, not the last one's.
  const off = tenants.onChange(() => void load());
  return { element: section, close: off };
}

/** The panel and what stops it following the tenant in view, for when its view goes. */
export interface TenantPanel {
  element: HTMLElement;
  close(): void;
}

/** The panel; `changed` runs after a reset or a restore (counts and table reload). */
export function tenantPanel(changed: () => void): TenantPanel {
  const info = message('info');
  const error = message('error');
  const done = (text: string) => {
    error.clear();
    info.show(text);
    changed();
  };
  const failed = (text: string) => {
    info.clear();
    error.show(text);
  };
  const saved = baselines(done, failed);
  const element = h(
    'section',
    { class: 'panel', 'aria-labelledby': 'tenant-actions' },
    h('h2', { id: 'tenant-actions' }, 'Tenant'),
    info.element,
    error.element,
    resetForm(done, failed),
    h('button', { type: 'button', class: 'secondary', onclick: () => void download(failed) }, 'Download export'),
    h('h3', {}, 'Baselines'),
    saved.element,
  );
  return { element, close: saved.close };
}
