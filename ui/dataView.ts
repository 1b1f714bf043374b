// The data view: every collection of the tenant with its count, and a table of one entity set paged, sorted and
// filtered by the Graph routes themselves ($top and @odata.nextLink, $orderby, $filter), so a page costs what one
// Graph list request costs whatever the tenant holds. A row opens the record (recordPanel.ts); the tenant's
// actions sit beside (tenantPanel.ts).
import { COLLECTION_VIEWS, type CollectionView, type ListQuery, cellText, firstPageUrl } from './collections.js';
import { field, fill, formatNumber, h, message, option } from './dom.js';
import { ApiError, graph, graphFailureText, samePath, withinAnswerTime } from './http.js';
import { recordPanel } from './recordPanel.js';
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
  const heading = h('h2', { id: 'table-title' });
  const table = h('table', { 'aria-labelledby': 'table-title', 'data-state': 'loading' });
  const pager = h('p', { class: 'pager', role: 'status', 'aria-live': 'polite' });
  const error = message('error');
  const previous = h('button', { type: 'button', class: 'secondary', disabled: true }, '← Previous');
  const next = h('button', { type: 'button', class: 'secondary', disabled: true }, 'Next →');
  const filter = h('input', { type: 'search', placeholder: 'contains…', autocomplete: 'off' });
  const size = h('select', {}, ...PAGE_SIZES.map((n) => option(String(n), String(n), n === query.pageSize)));
  const newButton = h('button', { type: 'button' }, 'New…');
  const panel = recordPanel((createdId) => {
    void refreshCounts();
    // A page past the first carries no @odata.count (Graph counts on the first page only): after a change there,
    // the total is asked again with a one-record first page, so the pager does not show the count before it.
    if (createdId === undefined && trail.length > 0) void recount();
    void load(createdId === undefined ? shown : firstPageUrl(view, query), createdId === undefined ? trail : []);
  });

  const recount = async () => {
    try {
      const counted = (await graph<Page>('GET', firstPageUrl(view, { ...query, pageSize: 1 }), tenants.tid())).body['@odata.count'];
      if (counted === undefined) return;
      total = counted;
      pager.firstChild!.textContent = pager.firstChild!.textContent!.replace(/of [\d,]+$/, `of ${formatNumber(counted)}`);
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
    error.clear();
    let page: Page;
    try {
      page = (await graph<Page>('GET', url, tenants.tid(), undefined, withinAnswerTime(abandon.signal))).body;
    } catch (err) {
      if (ticket !== loading) return;
      table.dataset['state'] = 'error';
      error.show(graphFailureText(err));
      return;
    }
    if (ticket !== loading) return; // a later request replaced this one
    // A tenant the tenants API did not list yet (its first Graph request, this one, made it): its counts now.
    if (tenants.available && tenants.current.records === undefined) void refreshCounts();
    trail = before;
    shown = url;
    if (page['@odata.count'] !== undefined) total = page['@odata.count'];
    renderRows(page.value);
    const first = trail.length * query.pageSize + 1;
    const range = page.value.length === 0 ? 'No records.' : `${formatNumber(first)}–${formatNumber(first + page.value.length - 1)}`;
    pager.textContent = page.value.length === 0 || total === undefined ? range : `${range} of ${formatNumber(total)}`;
    const nextLink = page['@odata.nextLink'];
    next.disabled = nextLink === undefined;
    next.onclick = nextLink === undefined ? null : () => void load(samePath(nextLink), [...trail, url]);
    previous.disabled = trail.length === 0;
    // Timed to the frame that shows the rows (request, parsing, drawing, layout), for the pager, the tests and the
    // benchmark: how many pages were drawn, what the last one took, and when the first one was (a User Timing mark).
    requestAnimationFrame(() => {
      if (ticket !== loading) return;
      const ms = performance.now() - started;
      if (page.value.length > 0) pager.append(h('span', { class: 'timing' }, ` · ${ms.toFixed(0)} ms`));
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
    fill(
      table,
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          columns.map((c) =>
            h(
              'th',
              { scope: 'col', 'aria-sort': c.sortable ? sortState(c.key) : null },
              c.sortable ? h('button', { type: 'button', class: 'sort', onclick: () => sortBy(c.key) }, c.label) : c.label,
            ),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        rows.map((row) =>
          h(
            'tr',
            { 'data-id': String(row['id']) },
            columns.map((c, i) =>
              h(
                'td',
                {},
                i === 0
                  ? h(
                      'button',
                      { type: 'button', class: 'link', onclick: () => void panel.show(view, String(row['id'])) },
                      cellText(row[c.key]) || String(row['id']),
                    )
                  : cellText(row[c.key]),
              ),
            ),
          ),
        ),
      ),
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
    reload();
  };

  let lastCounts: Record<string, number> = {};
  const renderCounts = (records: Record<string, number>) => {
    lastCounts = records;
    const known = new Set(COLLECTION_VIEWS.map((v) => v.name));
    const views: CollectionView[] = [
      ...COLLECTION_VIEWS,
      ...Object.keys(records)
        .filter((n) => !known.has(n))
        .map((name) => ({ name, label: name })),
    ];
    fill(
      counts,
      views.map((v) => {
        const count = h('span', { class: 'count', 'data-collection': v.name }, formatNumber(records[v.name] ?? 0));
        if (v.entitySet === undefined) {
          return h('li', { title: v.servedUnder === undefined ? '' : `Graph serves these under ${v.servedUnder}` }, h('span', {}, v.label), count);
        }
        return h(
          'li',
          {},
          h('button', { type: 'button', class: 'collection', 'aria-pressed': v === view ? 'true' : 'false', onclick: () => choose(v) }, v.label, count),
        );
      }),
    );
  };

  const refreshCounts = async () => {
    try {
      renderCounts(await tenants.counts());
    } catch (err) {
      error.show(err instanceof ApiError ? err.text : String(err));
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
        h('div', { class: 'pager-row' }, previous, pager, next),
        h('div', { class: 'table-scroll' }, table),
      ),
      panel.element,
    ),
  );
  const offTenant = tenants.onChange(() => {
    panel.close();
    // Nothing of the tenant left behind stays on screen, whatever the new one answers.
    renderRows([]);
    pager.textContent = '';
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
