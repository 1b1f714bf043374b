// The data view's table of records: a header per column (a sortable one is a button that says its order to a
// screen reader, aria-sort) and a row per record, whose first cell opens it. Drawn anew for every page; each
// button carries a data-focus key, so that keepingFocus (dom.ts) puts the focus back on the same one.
import { type CollectionView, cellText, cellWrap } from './collections.js';
import { fill, h } from './dom.js';

export interface TableActions {
  sortBy(key: string): void;
  /** Opens the record of that id. */
  open(id: string): void;
}

/** Fills `table` with `rows`, in `columns`, sorted as `sortState` says of each column. */
export function drawRecords(
  table: HTMLTableElement,
  rows: readonly Record<string, unknown>[],
  columns: NonNullable<CollectionView['columns']>,
  sortState: (key: string) => string,
  on: TableActions,
): void {
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
            c.sortable ? h('button', { type: 'button', class: 'sort', 'data-focus': `sort:${c.key}`, onclick: () => on.sortBy(c.key) }, c.label) : c.label,
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
              { class: cellWrap(cellText(row[c.key])) },
              i === 0
                ? h(
                    'button',
                    { type: 'button', class: 'link', 'data-focus': `row:${String(row['id'])}`, onclick: () => on.open(String(row['id'])) },
                    cellText(row[c.key]) || String(row['id']),
                  )
                : cellText(row[c.key]),
            ),
          ),
        ),
      ),
    ),
  );
}
