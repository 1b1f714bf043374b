// The data view's list of the tenant's collections with their counts: a button for each one the table can show
// (pressed: the one shown), and, in words, where Graph serves those it has no entity set for. A collection the
// page has no view for is listed by its name, with its count.
import { COLLECTION_VIEWS, type CollectionView } from './collections.js';
import { fill, formatNumber, h } from './dom.js';

/** Fills `list` with every collection and its count in `records`. */
export function drawCollections(
  list: HTMLUListElement,
  records: Readonly<Record<string, number>>,
  shown: CollectionView,
  choose: (view: CollectionView) => void,
): void {
  const known = new Set(COLLECTION_VIEWS.map((v) => v.name));
  const views: CollectionView[] = [
    ...COLLECTION_VIEWS,
    ...Object.keys(records)
      .filter((n) => !known.has(n))
      .map((name) => ({ name, label: name })),
  ];
  fill(
    list,
    views.map((v) => {
      const count = h('span', { class: 'count', 'data-collection': v.name }, formatNumber(records[v.name] ?? 0));
      if (v.entitySet === undefined) {
        // Where Graph serves them, in words anyone reads: a title shows on hover only, to no keyboard or touch.
        return h('li', {}, h('span', {}, v.label), count, v.servedUnder === undefined ? null : h('small', { class: 'served-under' }, `under ${v.servedUnder}`));
      }
      return h(
        'li',
        {},
        h(
          'button',
          {
            type: 'button',
            class: 'collection',
            'aria-pressed': v === shown ? 'true' : 'false',
            'data-focus': `collection:${v.name}`,
            onclick: () => choose(v),
          },
          v.label,
          count,
        ),
      );
    }),
  );
}
