// The model-based test's moves (tests/http/graphModel.test.ts): moveToCatalog takes a package to another catalog, its
// role scopes to their counterparts there (docs/entitlement-management.md), and a catalog with resources is emptied
// that way and deleted, its resources, roles and scopes with it.
import { expect } from '@jest/globals';
import { type Answer, expectGraphHeaders } from './graph.js';
import { type Command, type Emulator, type Model, type Rec, UNKNOWN_ID, peek, touch, upnOf } from './graphModel.js';
import { type Context, type Op, ROOT, deleteOne, invalidModel, notFound, pick, refused } from './graphModelOps.js';
import { Single } from './graphModelRequests.js';
import { counterpart, partsOf } from './graphModelResources.js';

/** A 200 with no body, as an action without a return type answers. */
function empty(answer: Answer, ctx: Context): void {
  if (answer.status !== 200) throw new Error(`expected 200, got ${answer.status}: ${JSON.stringify(answer.body)}`);
  expect(answer.headers['odata-version']).toBe('4.0');
  if (ctx.batch) return;
  expectGraphHeaders(answer);
  expect(answer.headers['content-type']).toBeUndefined();
  expect(answer.headers['content-length']).toBe('0');
}

/** POST moveToCatalog: the package into another catalog (or its own), its role scopes to their counterparts there. */
export function moveToCatalog(p: number, c: number): Op {
  return (t) => {
    const id = pick([...t.packages.keys()], p);
    const target = pick([...t.catalogs.keys()], c);
    const own = String(t.packages.get(id)?.['catalogId']);
    return {
      label: `POST accessPackages/${id}/moveToCatalog ${target}`,
      method: 'POST',
      url: `${ROOT}/accessPackages/${id}/moveToCatalog`,
      body: { catalogId: target },
      touches: [id, own, target],
      check(t, answer, ctx) {
        if (id === UNKNOWN_ID) return notFound(answer, ctx);
        if (target === UNKNOWN_ID) return invalidModel(answer, ctx);
        const held = t.roleScopes.get(id) ?? [];
        const moved =
          target === own
            ? held
            : held.map((rs) => {
                const [role, scope] = partsOf(rs).map((part, i) =>
                  counterpart(t, i === 0 ? 'accessPackageResourceRoles' : 'accessPackageResourceScopes', part, target),
                );
                return role && scope ? { ...rs, id: `${String(role['id'])}_${String(scope['id'])}` } : undefined;
              });
        if (moved.some((rs) => rs === undefined)) {
          return refused(answer, 400, 'BadRequest', 'The resources in the access package must be present in the target catalog.', ctx);
        }
        empty(answer, ctx);
        t.packages.set(id, { ...t.packages.get(id), catalogId: target, modifiedBy: upnOf(ctx.tid) });
        t.stale.add(id);
        if (held.length > 0) t.roleScopes.set(id, moved as Rec[]);
      },
    };
  };
}

/**
 * A catalog with resources emptied and deleted, as a random sequence seldom does: each of its packages moved to
 * General (one with role scopes deleted instead, as it cannot move), then the catalog deleted with its resources.
 */
export class EmptyCatalog implements Command {
  private label = 'empty a catalog';
  constructor(private readonly n: number) {}
  check = () => true;
  async run(m: Model, real: Emulator): Promise<void> {
    // A tenant with nothing to empty gets no request, and is not made.
    const seen = peek(m);
    const general = [...seen.catalogs.keys()].find((id) => seen.catalogs.get(id)!['catalogType'] === 'ServiceDefault');
    const candidates = [...seen.resources.keys()].filter((id) => id !== general && seen.catalogs.has(id));
    if (general === undefined || candidates.length === 0) return;
    const t = touch(m);
    const catalog = candidates[this.n % candidates.length]!;
    this.label = `empty and delete catalog ${catalog}`;
    const index = (ids: Iterable<string>, id: string) => [...ids].indexOf(id);
    for (const [id, record] of [...t.packages]) {
      if (record['catalogId'] !== catalog) continue;
      const op = t.roleScopes.has(id)
        ? deleteOne('packages', index(t.packages.keys(), id))
        : moveToCatalog(index(t.packages.keys(), id), index(t.catalogs.keys(), general));
      await new Single(op).run(m, real);
    }
    const empty = [...t.catalogs.keys()].filter((c) => ![...t.packages.values()].some((p) => p['catalogId'] === c));
    await new Single(deleteOne('catalogs', index(empty, catalog))).run(m, real);
    if (t.catalogs.has(catalog)) throw new Error(`catalog ${catalog} was not deleted`);
  }
  toString = () => this.label;
}
