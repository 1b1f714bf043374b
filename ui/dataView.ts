// The data view: every collection of the tenant with its count, and a table of one entity set paged, sorted and
// filtered by the Graph routes themselves ($top and @odata.nextLink, $orderby, $filter), so a page costs what one
// Graph list request costs whatever the tenant holds. A row opens the record (recordPanel.ts); the tenant's
// actions sit beside (tenantPanel.ts).
import { drawCollections } from './collectionList.js';
import { COLLECTION_VIEWS, type CollectionView, type ListQuery, firstPageUrl } from './collections.js';
import { field, fill, formatNumber, h, keepingFocus, message, option } from './dom.js';
import { describeError, graph, graphFailureText, samePath, withinAnswerTime } from './http.js';
import { recordPanel } from './recordPanel.js';
import { drawRecords } from './recordsTable.js';
import { tenantPanel } from './tenantPanel.js';
import { tenants } from './tenants.js';

interface Page {
  value: Record<string, unknown>[];
  '@odata.count'?: number;
  '@odata.nextLink'?: string;
}

const PAGE_SIZES = [25, 50, 100, 200];
/** Set once the first page of a table is on screen: "interactive" in the benchmark (bench/adminPage.ts). */
export const FIRST_PAGE_MARK = 'emulator:first-page';
/** Typing in the filter box waits this long for the next key before it asks Graph. */
const FILTER_DELAY_MS = 250;
/** What the pager says while a table with no rows yet loads. */
const LOADING = 'Loading…';

export function dataView(container: HTMLElement): () => void {
  const query: ListQuery = { pageSize: 50 };
  let view: CollectionView = COLLECTION_VIEWS[0]!;
  /** URLs of the pages before the one shown: Previous goes back one. */
  let trail: string[] = [];
  let shown = '';
  let total: number | undefined;
  let loading = 0;
  let inFlight: AbortController | undefined;

  const counts = h('ul', { class: 'collections' });
  const heading = h('h2', { id: 'table-title', tabindex: -1 });
  const table = h('table', { 'aria-labelledby': 'table-title', 'data-state': 'loading' });
  const pager = h('p', { class: 'pager', role: 'status', 'aria-live': 'polite' });
  // Beside the pager, not in it: a status region reads its whole text again when a part changes.
  const timing = h('span', { class: 'timing' });
  const error = message('error');
  const info = message('info');
  const previous = h('button', { type: 'button', class: 'secondary', disabled: true }, '← Previous');
  const next = h('button', { type: 'button', class: 'secondary', disabled: true }, 'Next →');
  const filter = h('input', { type: 'search', placeholder: 'contains…', autocomplete: 'off' });
  const size = h('select', {}, ...PAGE_SIZES.map((n) => option(String(n), String(n), n === query.pageSize)));
  const newButton = h('button', { type: 'button' }, 'New…');
  const pagerRow = h('div', { class: 'pager-row' }, previous, pager, timing, next);
  const clearRows = () => {
    renderRows([]);
    pager.textContent = LOADING;
    timing.textContent = '';
    next.disabled = true;
    previous.disabled = true;
  };
  const panel = recordPanel(
    (createdId) => {
      void refreshCounts();
      // A page past the first carries no @odata.count (Graph counts on the first page only): after a change there,
      // the total is asked again with a one-record first page, so the pager does not show the count before it.
      if (createdId === undefined && trail.length > 0) void recount();
      void load(createdId === undefined ? shown : firstPageUrl(view, query), createdId === undefined ? trail : []);
    },
    {
      announce: (text) => {
        info.show(text);
        keepInfo = true;
      },
      landing: () => heading,
    },
  );

  /** The panel's "Deleted …" stays through the table's reload after it, and goes with the next one. */
  let keepInfo = false;

  const recount = async () => {
    try {
      const counted = (await graph<Page>('GET', firstPageUrl(view, { ...query, pageSize: 1 }), tenants.tid())).body['@odata.count'];
      if (counted === undefined) return;
      total = counted;
      pager.textContent = (pager.textContent ?? '').replace(/of [\d,]+$/, `of ${formatNumber(counted)}`);
    } catch {
      // The page's own load says what failed.
    }
  };

  const load = async (url: string, before: string[]): Promise<void> => {
    const ticket = ++loading;
    // The page this one replaces is abandoned, its connection closed: a request a fault holds (`drop: hang`) would
    // otherwise keep one of the browser's few connections to this host, until none is left for the page itself.
    inFlight?.abort();
    const abandon = new AbortController();
    inFlight = abandon;
    const started = performance.now();
    table.dataset['state'] = 'loading';
    table.setAttribute('aria-busy', 'true');
    error.clear();
    if (keepInfo) keepInfo = false;
    else info.clear();
    let page: Page;
    try {
      page = (await graph<Page>('GET', url, tenants.tid(), undefined, withinAnswerTime(abandon.signal))).body;
    } catch (err) {
      if (ticket !== loading) return;
      table.dataset['state'] = 'error';
      table.removeAttribute('aria-busy');
      if (pager.textContent === LOADING) pager.textContent = '';
      error.show(graphFailureText(err));
      return;
    }
    if (ticket !== loading) return; // a later request replaced this one
    table.removeAttribute('aria-busy');
    // A tenant the tenants API did not list yet (its first Graph request, this one, made it): its counts now.
    if (tenants.available && tenants.current.records === undefined) void refreshCounts();
    trail = before;
    shown = url;
    if (page['@odata.count'] !== undefined) total = page['@odata.count'];
    renderRows(page.value);
    const first = trail.length * query.pageSize + 1;
    const range = page.value.length === 0 ? 'No records.' : `${formatNumber(first)}–${formatNumber(first + page.value.length - 1)}`;
    pager.textContent = page.value.length === 0 || total === undefined ? range : `${range} of ${formatNumber(total)}`;
    timing.textContent = '';
    const nextLink = page['@odata.nextLink'];
    // Next onto the last page (or Previous onto the first) disables the button that has focus: focus moves to the
    // other one, or to the table's heading, rather than to the page's body.
    keepingFocus(
      pagerRow,
      () => {
        next.disabled = nextLink === undefined;
        previous.disabled = trail.length === 0;
      },
      () => (!next.disabled ? next : !previous.disabled ? previous : heading),
    );
    next.onclick = nextLink === undefined ? null : () => void load(samePath(nextLink), [...trail, url]);
    // Timed to the frame that shows the rows (request, parsing, drawing, layout), for the pager, the tests and the
    // benchmark: how many pages were drawn, what the last one took, and when the first one was (a User Timing mark).
    requestAnimationFrame(() => {
      if (ticket !== loading) return;
      const ms = performance.now() - started;
      if (page.value.length > 0) timing.textContent = ` · ${ms.toFixed(0)} ms`;
      if (performance.getEntriesByName(FIRST_PAGE_MARK).length === 0) performance.mark(FIRST_PAGE_MARK);
      table.dataset['loads'] = String(Number(table.dataset['loads'] ?? 0) + 1);
      table.dataset['loadMs'] = ms.toFixed(1);
      table.dataset['state'] = 'ready';
    });
  };

  const sortBy = (key: string) => {
    query.orderBy = query.orderBy?.key === key && !query.orderBy.descending ? { key, descending: true } : { key, descending: false };
    reload();
  };

  const renderRows = (rows: Record<string, unknown>[]) => {
    const columns = view.columns ?? [];
    const sortState = (key: string) => (query.orderBy?.key !== key ? 'none' : query.orderBy.descending ? 'descending' : 'ascending');
    // A sort drawn again keeps focus on its column's header; a row's button, on the same record's.
    keepingFocus(
      table,
      () => drawRecords(table, rows, columns, sortState, { sortBy, open: (id) => void panel.show(view, id) }),
      () => heading,
    );
  };

  const reload = () => {
    total = undefined;
    void load(firstPageUrl(view, query), []);
  };

  const choose = (chosen: CollectionView) => {
    view = chosen;
    query.orderBy = undefined;
    filter.value = '';
    query.filter = undefined;
    heading.textContent = chosen.label;
    panel.close();
    renderCounts(lastCounts);
    // The last collection's rows are not this one's: none stay under its name while it loads, or if it fails.
    clearRows();
    reload();
  };

  let lastCounts: Record<string, number> = {};
  const renderCounts = (records: Record<string, number>) => keepingFocus(counts, () => drawCounts(records));
  const drawCounts = (records: Record<string, number>) => {
    lastCounts = records;
    drawCollections(counts, records, view, choose);
  };

  const refreshCounts = async () => {
    try {
      renderCounts(await tenants.counts());
    } catch (err) {
      error.show(describeError(err));
    }
  };

  let typing: ReturnType<typeof setTimeout> | undefined;
  filter.addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(() => {
      query.filter = filter.value;
      reload();
    }, FILTER_DELAY_MS);
  });
  size.addEventListener('change', () => {
    query.pageSize = Number(size.value);
    reload();
  });
  previous.addEventListener('click', () => {
    const back = trail.at(-1);
    if (back !== undefined) void load(back, trail.slice(0, -1));
  });
  newButton.addEventListener('click', () => panel.create(view));
  const tenant = tenantPanel(() => {
    void refreshCounts();
    reload();
  });

  fill(
    container,
    h(
      'div',
      { class: 'data-layout' },
      h(
        'div',
        { class: 'sidebar' },
        h('nav', { 'aria-labelledby': 'collections-title' }, h('h2', { id: 'collections-title' }, 'Collections'), counts),
        tenant.element,
      ),
      h(
        'section',
        { class: 'table-area', 'aria-labelledby': 'table-title' },
        heading,
        h('div', { class: 'toolbar' }, field('Filter by display name', filter), field('Page size', size), newButton),
        error.element,
        info.element,
        pagerRow,
        h('div', { class: 'table-scroll' }, table),
      ),
      panel.element,
    ),
  );
  const offTenant = tenants.onChange(() => {
    panel.close();
    // Nothing of the tenant left behind stays on screen, whatever the new one answers.
    clearRows();
    renderCounts({});
    void refreshCounts();
    reload();
  });
  heading.textContent = view.label;
  void refreshCounts();
  reload();
  return () => {
    clearTimeout(typing);
    offTenant();
    tenant.close();
  };
}
