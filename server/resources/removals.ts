// The removals of a collection's records that a predicate picks: what goes with a deleted record, handed to
// Store.apply with it so that the record and its dependants go in one write.
import type { CollectionName } from '../collections.js';
import type { RecordChange, Store } from '../store/store.js';
import type { Row } from './definition.js';

export function removalsWhere(store: Store, collection: CollectionName, where: (record: Row) => boolean): RecordChange[] {
  const owned = (store.list(collection) as unknown as readonly Row[]).filter(where);
  return owned.map((record) => ({ op: 'remove', collection, id: record['id'] as string }));
}
