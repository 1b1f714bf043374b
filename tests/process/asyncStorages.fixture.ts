// Run twice in one process by asyncStorages.test.ts, in a jest of its own (outside the suite's testMatch): on Node 20
// a new promise carries a `kResourceStore` symbol of each enabled AsyncLocalStorage, so it counts them.
import { expect, it } from '@jest/globals';

it('finds a new promise stamped by one storage, its own file’s', () => {
  const stamps = Object.getOwnPropertySymbols(Promise.resolve()).filter((symbol) => symbol.description === 'kResourceStore');
  expect(stamps).toHaveLength(1);
});
