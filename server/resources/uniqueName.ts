// uniqueName, the alternate key of packages and catalogs in the global beta model (beta-Prod.csdl): one value names
// one record. Graph documents neither the property nor a clash; refusing a second record with the same value is
// chosen, so that `accessPackages(uniqueName='…')` always names one package.
import type { CollectionName } from '../collections.js';
import { GraphError } from '../graphErrors.js';
import type { Store } from '../store/store.js';
import type { Row } from './definition.js';

export function requireUniqueName(store: Store, collection: CollectionName, record: Row, noun: string): void {
  const value = record['uniqueName'];
  if (typeof value !== 'string') return;
  const clash = (store.list(collection) as unknown as readonly Row[]).some((r) => r['uniqueName'] === value && r['id'] !== record['id']);
  if (clash) throw GraphError.of('badRequest', `An ${noun} with the uniqueName '${value}' already exists.`);
}
