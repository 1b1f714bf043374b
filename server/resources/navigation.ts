// The kinds of relationship between stored records, each read one record at a time (a path) and a page at a
// time ($expand: one pass over the related collection for the whole page, not one per record, so expanding the
// policies of a page of 100 packages costs one scan of the policies).
import type { CollectionName } from '../collections.js';
import type { Store } from '../store/store.js';
import type { Navigation, ResourceDefinition, Row, RowScope } from './definition.js';

type Writes = Pick<Navigation, 'create' | 'remove' | 'addRef' | 'removeRef' | 'removeRefNamed' | 'refUrl' | 'find' | 'actions'>;

function rowsOf(store: Store, collection: CollectionName): readonly Row[] {
  return store.list(collection) as unknown as readonly Row[];
}

/** Records of `collection` whose `foreignKey` holds the record's id (a package's policies, a catalog's packages). */
export function children(target: () => ResourceDefinition, collection: CollectionName, foreignKey: string, writes: Writes = {}): Navigation {
  return {
    target,
    many: true,
    scope: (record) => {
      const id = record['id'];
      return { collection, where: (row) => row[foreignKey] === id };
    },
    batch: (records, store) => {
      const byId = new Map<unknown, Row[]>(records.map((r) => [r['id'], []]));
      for (const row of rowsOf(store, collection)) byId.get(row[foreignKey])?.push(row);
      return new Map(records.map((r) => [r, byId.get(r['id'])!]));
    },
    ...writes,
  };
}

/** Entities a record holds in one of its own properties (a v1.0 policy's questions): read by $expand and the path. */
export function held(target: () => ResourceDefinition, read: (record: Row) => readonly Row[]): Navigation {
  return { target, many: true, held: read };
}

/** The record of `collection` whose id `key` holds (a package's catalog, a role's resource). */
export function parent(target: () => ResourceDefinition, collection: CollectionName, key: string): Navigation {
  return {
    target,
    many: false,
    one: (record, store) => {
      const id = record[key];
      return typeof id === 'string' ? ((store.get(collection, id) as Row | undefined) ?? null) : null;
    },
  };
}

/** A single-valued relationship read some other way (a policy's catalog, through its package). */
export function derived(target: () => ResourceDefinition, one: (record: Row, store: Store) => Row | null): Navigation {
  return { target, many: false, one };
}

/**
 * Records of `collection` named by link records: the links of `links` whose `from` is the record's id point at
 * the related records by `to` (a package's incompatible packages, and the reverse).
 */
export function linked(
  target: () => ResourceDefinition,
  collection: CollectionName,
  links: { collection: CollectionName; from: string; to: string },
  writes: Writes = {},
): Navigation {
  const linkedIds = (record: Row, store: Store): Set<unknown> => {
    const ids = new Set<unknown>();
    for (const link of rowsOf(store, links.collection)) if (link[links.from] === record['id'] && link[links.to] !== null) ids.add(link[links.to]);
    return ids;
  };
  return {
    target,
    many: true,
    scope: (record, store): RowScope => {
      const ids = linkedIds(record, store);
      return { collection, where: (row) => ids.has(row['id']) };
    },
    batch: (records, store) => {
      const byId = new Map<unknown, Row[]>(records.map((r) => [r['id'], []]));
      for (const link of rowsOf(store, links.collection)) {
        const related = link[links.to];
        const list = byId.get(link[links.from]);
        if (list && typeof related === 'string') {
          const row = store.get(collection, related) as Row | undefined;
          if (row) list.push(row);
        }
      }
      return new Map(records.map((r) => [r, byId.get(r['id'])!]));
    },
    ...writes,
  };
}
