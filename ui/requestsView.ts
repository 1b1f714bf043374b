// The requests view: the emulator's request journal (GET /_emulator/requests) live, newest first. It polls with
// `since=<last id>` once a second while the view is open and the tab visible, keeps the newest MAX_ENTRIES, and a
// click shows both bodies and both header sets. Filters go to the journal as its own query; Clear empties it.
import { cellWrap } from './collections.js';
import { field, fill, h, message, option } from './dom.js';
import { adminJson, describeError, isUnavailable, withQuery } from './http.js';
import type { JournalEntry } from './journalEntry.js';
import { details, failed, statusText } from './journalEntryDetails.js';
import { tenants } from './tenants.js';

export const POLL_MS = 1000;
/** Entries the view holds; older ones leave it (the journal keeps its own). */
export const MAX_ENTRIES = 500;
const BATCH = 200;

export function requestsView(container: HTMLElement): () => void {
  let entries: JournalEntry[] = [];
  let since: string | undefined;
  let selected: string | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  let paused = false;
  let generation = 0;

  const method = h('select', {}, option('', 'any'), ...['GET', 'POST', 'PATCH', 'PUT', 'DELETE'].map((m) => option(m, m)));
  const path = h('input', { type: 'search', placeholder: '/beta/**/accessPackages', autocomplete: 'off' });
  const status = h('input', { type: 'text', inputmode: 'numeric', placeholder: '429', size: 5, autocomplete: 'off' });
  const pause = h('button', { type: 'button', class: 'secondary', 'aria-pressed': 'false' }, 'Pause');
  const clear = h('button', { type: 'button', class: 'danger' }, 'Clear journal');
  const error = message('error');
  const rows = h('tbody');
  const table = h(
    'table',
    { class: 'requests', 'aria-label': 'Requests, newest first', 'data-state': 'loading' },
    h('thead', {}, h('tr', {}, ...['Time (UTC)', 'Method', 'Path', 'Status', 'Duration', 'Fault'].map((c) => h('th', { scope: 'col' }, c)))),
    rows,
  );
  const detail = h('aside', { class: 'record', 'aria-labelledby': 'entry-title', hidden: true });
  const body = h('div', { class: 'requests-layout' });

  /** Each drawn entry's row, by id: a row, once drawn, stays the same node until its entry leaves the view. */
  const rowOf = new Map<string, HTMLTableRowElement>();
  const none = h('tr', {}, h('td', { colspan: 6, class: 'muted' }, 'No requests yet.'));

  const rowFor = (e: JournalEntry) => {
    const tr = h(
      'tr',
      { 'data-id': e.id, class: failed(e.status) ? 'failed' : null },
      h('td', { class: 'whole' }, e.time.slice(11, 23)),
      h('td', { class: 'whole' }, e.method),
      // A path of 40 characters or more breaks anywhere, rather than widen the table to its length.
      h('td', { class: cellWrap(e.path) }, h('button', { type: 'button', class: 'link', onclick: () => open(e) }, e.path)),
      h('td', { class: 'whole' }, statusText(e.status)),
      h('td', { class: 'whole' }, `${e.durationMs.toFixed(1)} ms`),
      h('td', {}, e.fault === null ? '' : e.fault.effect),
    );
    rowOf.set(e.id, tr);
    return tr;
  };

  /** The row of the entry in the detail: marked as such, and for a screen reader as the current one. */
  const mark = (id: string | undefined, current: boolean) => {
    const tr = id === undefined ? undefined : rowOf.get(id);
    if (tr === undefined) return;
    tr.classList.toggle('selected', current);
    if (current) tr.setAttribute('aria-current', 'true');
    else tr.removeAttribute('aria-current');
  };

  /**
   * Entries that arrived go above the rows, newest first; those that left the view (past MAX_ENTRIES) are taken
   * from the bottom. The other rows are not touched: the row a keyboard or screen-reader user is on stays the same
   * element, with the focus, and nothing is announced again.
   */
  const addRows = (added: readonly JournalEntry[], dropped: readonly JournalEntry[]) => {
    for (const e of dropped) {
      rowOf.get(e.id)?.remove();
      rowOf.delete(e.id);
    }
    const fresh = added.filter((e) => !rowOf.has(e.id)).map(rowFor);
    if (fresh.length > 0) none.remove();
    rows.prepend(...fresh.reverse());
    if (rowOf.size === 0 && !none.isConnected) rows.append(none);
  };

  const clearRows = () => {
    rowOf.clear();
    fill(rows, none);
  };

  /** Closes the detail; focus in it goes back to the row that opened it (the first row, or Pause, when that row has left). */
  const closeDetail = () => {
    const id = selected;
    const wasFocusedInside = detail.contains(document.activeElement);
    detail.hidden = true;
    mark(id, false);
    selected = undefined;
    if (!wasFocusedInside) return;
    const row = (id === undefined ? undefined : rowOf.get(id)) ?? rows.querySelector('tr[data-id]');
    (row?.querySelector('button') ?? pause).focus();
  };

  const open = (entry: JournalEntry) => {
    mark(selected, false);
    selected = entry.id;
    mark(selected, true);
    fill(detail, ...details(entry), h('button', { type: 'button', class: 'secondary', onclick: closeDetail }, 'Close'));
    detail.hidden = false;
    detail.querySelector<HTMLElement>('#entry-title')?.focus();
  };
  detail.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || detail.hidden) return;
    event.preventDefault();
    closeDetail();
  });

  const poll = async (): Promise<void> => {
    if (stopped) return;
    const mine = generation;
    let more = false;
    try {
      const query = { since, limit: BATCH, method: method.value, path: path.value.trim(), status: status.value.trim(), ...tenants.query() };
      const answer = await adminJson<{ value: JournalEntry[] }>('GET', withQuery('/_emulator/requests', query));
      if (mine !== generation) return;
      error.clear();
      if (answer.value.length > 0) {
        const all = [...entries, ...answer.value];
        entries = all.slice(-MAX_ENTRIES);
        since = answer.value.at(-1)!.id;
        addRows(answer.value, all.slice(0, all.length - entries.length));
      }
      table.dataset['state'] = 'ready';
      more = answer.value.length === BATCH; // catching up: ask again at once
    } catch (err) {
      if (mine !== generation) return;
      if (isUnavailable(err)) {
        stopped = true;
        fill(
          body,
          h(
            'section',
            { 'aria-labelledby': 'requests-title' },
            h('h2', { id: 'requests-title' }, 'Requests'),
            h('p', { class: 'muted', 'data-state': 'unavailable' }, 'The request journal: not available on this emulator.'),
          ),
        );
        return;
      }
      error.show(describeError(err));
    }
    schedule(more ? 0 : POLL_MS);
  };

  const schedule = (ms: number) => {
    clearTimeout(timer);
    if (!stopped && !paused && !document.hidden) timer = setTimeout(() => void poll(), ms);
  };

  const restart = () => {
    generation += 1;
    entries = [];
    since = undefined;
    selected = undefined;
    detail.hidden = true;
    table.dataset['state'] = 'loading';
    clearRows();
    schedule(0);
  };

  const onVisibility = () => schedule(0);
  document.addEventListener('visibilitychange', onVisibility);
  for (const control of [method, path, status]) control.addEventListener('change', restart);
  pause.addEventListener('click', () => {
    paused = !paused;
    // Its name stays "Pause": aria-pressed says whether it is on ("Pause, toggle button, pressed").
    pause.setAttribute('aria-pressed', String(paused));
    schedule(0);
  });
  clear.addEventListener('click', async () => {
    try {
      await adminJson('DELETE', withQuery('/_emulator/requests', tenants.query()));
      restart();
    } catch (err) {
      error.show(describeError(err));
    }
  });
  const offTenant = tenants.onChange(restart);

  fill(
    body,
    h(
      'section',
      { class: 'table-area', 'aria-labelledby': 'requests-title' },
      h('h2', { id: 'requests-title' }, 'Requests'),
      h('div', { class: 'toolbar' }, field('Method', method), field('Path (glob)', path), field('Status', status), pause, clear),
      error.element,
      h('div', { class: 'table-scroll' }, table),
    ),
    detail,
  );
  fill(container, body);
  clearRows();
  schedule(0);
  return () => {
    stopped = true;
    clearTimeout(timer);
    document.removeEventListener('visibilitychange', onVisibility);
    offTenant();
  };
}
