// Run twice in one process by asyncStorages.test.ts, in a jest of its own (outside the suite's testMatch): on Node 20
// a new promise carries a `kResourceStore` symbol of each enabled AsyncLocalStorage, so it counts them. Node 24 and
// later keep a storage's value in AsyncContextFrame and stamp no promise.
import { expect, it } from '@jest/globals';

it('finds a new promise stamped by one storage, its own file’s (none on Node 24 and later)', () => {
  const stamps = Object.getOwnPropertySymbols(Promise.resolve()).filter((symbol) => symbol.description === 'kResourceStore');
  expect(stamps).toHaveLength(Number(process.versions.node.split('.')[0]) >= 24 ? 0 : 1);
});
