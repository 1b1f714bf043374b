// The model-based test's incompatible groups (tests/http/graphModel.test.ts): a group added to a package's
// incompatibleGroups by $ref and removed, and the list, each group named as the catalog resource that is that group
// (null once no catalog holds it, as after its catalog's delete). docs/entitlement-management.md, Incompatibilities.
import { expect } from '@jest/globals';
import { CONTEXT, type Rec } from './graphModel.js';
import { type Op, ROOT, notFound, ok, pick, refused } from './graphModelOps.js';
import { groupOf } from './graphModelResources.js';

/** Groups no catalog holds: their name reads null. */
const STRANGERS = ['5b0c6f8e-2d4a-4c1e-9f3b-7a8d6e5c4b3a', '0e9d8c7b-6a5f-4e3d-8c2b-1a0f9e8d7c6b'];

/** POST (add) or DELETE (remove) the $ref of a group among a package's incompatible groups. */
export function groupRef(add: boolean, p: number, g: number, upper: boolean): Op {
  return (t) => {
    const id = pick([...t.packages.keys()], p);
    const linked = t.groups.get(id) ?? [];
    const held = [...t.resources.values()].flat().filter((r) => r['originSystem'] === 'AadGroup');
    // A removal mostly names a group linked; an addition one a catalog holds, or one none does.
    const candidates = [...(add ? [] : [...linked, ...linked]), ...held.map((r) => r['originId'] as string), ...STRANGERS];
    const group = candidates[g % candidates.length]!;
    // A group id is read in any case.
    const named = upper ? group.toUpperCase() : group;
    const path = `accessPackages/${id}/incompatibleGroups`;
    return {
      label: `${add ? 'link' : 'unlink'} ${id} → group ${named}`,
      method: add ? 'POST' : 'DELETE',
      url: `${ROOT}/${path}${add ? '' : `/${named}`}/$ref`,
      ...(add ? { body: { '@odata.id': `https://graph.microsoft.com/beta/groups/${named}` } } : {}),
      touches: [id],
      check(t, answer, ctx) {
        if (!t.packages.has(id) || (!add && !linked.includes(group))) return notFound(answer, ctx);
        if (add && linked.includes(group)) {
          return refused(
            answer,
            400,
            'BadRequest',
            "One or more added object references already exist for the following modified properties: 'incompatibleGroups'.",
            ctx,
          );
        }
        ok(answer, 204, ctx);
        t.groups.set(id, add ? [...linked, group] : linked.filter((other) => other !== group));
      },
    };
  };
}

/** A package's incompatible groups, or their references. */
export function listGroups(p: number, refs: boolean): Op {
  return (t) => {
    const id = pick([...t.packages.keys()], p);
    const segment = `incompatibleGroups${refs ? '/$ref' : ''}`;
    return {
      label: `GET ${id}/${segment}`,
      method: 'GET',
      url: `${ROOT}/accessPackages/${id}/${segment}`,
      touches: [id],
      check(t, answer, ctx) {
        if (!t.packages.has(id)) return notFound(answer, ctx);
        ok(answer, 200, ctx);
        const groups = t.groups.get(id) ?? [];
        if (refs) {
          expect(answer.body).toEqual({
            '@odata.context': 'https://graph.microsoft.com/beta/$metadata#Collection($ref)',
            value: groups.map((group) => ({ '@odata.id': `https://graph.microsoft.com/beta/groups/${group}` })),
          });
          return;
        }
        const value: Rec[] = groups.map((group) => groupOf(t, group));
        expect(answer.body).toEqual({ '@odata.context': `${CONTEXT}/accessPackages('${id}')/incompatibleGroups`, value });
      },
    };
  };
}
