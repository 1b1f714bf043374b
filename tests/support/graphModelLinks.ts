// The model-based test's incompatible packages (tests/http/graphModel.test.ts): $ref additions and removals, and the
// collections under a package (its incompatible packages, their references, those naming it, its policies).
import { expect } from '@jest/globals';
import { CONTEXT, type Rec, UNKNOWN_ID, expectRecord } from './graphModel.js';
import { GRAPH_PACKAGES, type Op, ROOT, notFound, ok, pick, policiesOf, refused } from './graphModelOps.js';

/** POST (add) or DELETE (remove) the $ref of package b among package a's incompatible packages. */
export function incompatibleRef(add: boolean, a: number, b: number): Op {
  return (t) => {
    const ids = [...t.packages.keys()];
    const from = pick(ids, a);
    const linked = t.incompatible.get(from) ?? [];
    // A removal mostly names a package linked, an addition any.
    const to = pick(add ? ids : [...linked, ...linked, ...ids], b);
    return {
      label: `${add ? 'link' : 'unlink'} ${from} → ${to}`,
      method: add ? 'POST' : 'DELETE',
      url: `${ROOT}/accessPackages/${from}/incompatibleAccessPackages${add ? '' : `/${to}`}/$ref`,
      ...(add ? { body: { '@odata.id': `${GRAPH_PACKAGES}/${to}` } } : {}),
      touches: [from, to],
      check(t, answer, ctx) {
        if (from === UNKNOWN_ID || (add && to === UNKNOWN_ID) || (!add && !linked.includes(to))) {
          return refused(answer, 404, 'ResourceNotFound', /./, ctx);
        }
        if (add && (from === to || linked.includes(to))) return refused(answer, 400, 'BadRequest', /./, ctx);
        ok(answer, 204, ctx);
        t.incompatible.set(from, add ? [...linked, to] : linked.filter((id) => id !== to));
      },
    };
  };
}

/**
 * A collection under a package, in one page: its incompatible packages (or their references, `$ref`), those that
 * name it, its policies.
 */
export function navigation(
  segment: 'incompatibleAccessPackages' | 'incompatibleAccessPackages/$ref' | 'accessPackagesIncompatibleWith' | 'accessPackageAssignmentPolicies',
  n: number,
): Op {
  return (t) => {
    const id = pick([...t.packages.keys()], n);
    const related = (): [Map<string, Rec>, string[]] => {
      if (segment === 'accessPackageAssignmentPolicies') return [t.policies, policiesOf(t, id)];
      const wanted = new Set(
        segment === 'accessPackagesIncompatibleWith'
          ? [...t.packages.keys()].filter((from) => t.incompatible.get(from)?.includes(id))
          : (t.incompatible.get(id) ?? []),
      );
      return [t.packages, [...t.packages.keys()].filter((p) => wanted.has(p))];
    };
    const [collection, ids] = related();
    return {
      label: `GET ${id}/${segment}`,
      method: 'GET',
      url: `${ROOT}/accessPackages/${id}/${segment}`,
      touches: [id, ...ids],
      check(t, answer, ctx) {
        if (id === UNKNOWN_ID) return notFound(answer, ctx);
        ok(answer, 200, ctx);
        if (segment.endsWith('/$ref')) {
          expect(answer.body).toEqual({
            '@odata.context': 'https://graph.microsoft.com/beta/$metadata#Collection($ref)',
            value: ids.map((related) => ({ '@odata.id': `${GRAPH_PACKAGES}/${related}` })),
          });
          return;
        }
        expect(answer.body['@odata.context']).toBe(`${CONTEXT}/accessPackages('${id}')/${segment}`);
        expect((answer.body.value as Rec[]).map((r) => r['id'])).toEqual(ids);
        for (const record of answer.body.value as Rec[]) expectRecord(t, collection, record);
      },
    };
  };
}
