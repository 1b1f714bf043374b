// Which write a worker of the random-kill test sends next, drawn from its seeded random among those its state
// allows: creates, PATCHes, deletes with their cascades, moves, catalogs, incompatibilities, $batch, and for the
// only client of a tenant also resets, baselines and the tenant's drop.
import type { Random } from '../../server/random.js';
import { GRAPH, tenantQuery } from './crashClient.js';
import { type Request, type State, type Step, addPackage, deletePackage, emptyView, movePackage, withView } from './crashSteps.js';
import { viewOf, workerRecords } from './crashView.js';

/** What a step needs of its worker. */
export interface StepMaker {
  readonly tenant: string;
  readonly prefix: string;
  readonly owner: boolean;
  readonly state: State;
  readonly ids: Map<string, string>;
  next(): number;
}

type Build = (w: StepMaker, r: Random) => Step | undefined;

const pick = <T>(r: Random, items: readonly T[]): T | undefined => (items.length === 0 ? undefined : items[r.int(0, items.length - 1)]);
const id = (w: StepMaker, name: string): string => w.ids.get(name) ?? `unknown-${name}`;

/** Records a client keeps at most: past them it deletes rather than creates, so that a long hunt stays as fast. */
const MAX_PACKAGES = 12;
const MAX_CATALOGS = 6;

function createPackage(w: StepMaker, r: Random): [Request, Step['apply'][number]] | undefined {
  if (Object.keys(w.state.view.packages).length >= MAX_PACKAGES) return undefined;
  const catalog = pick(
    r,
    [`${w.prefix}A`, `${w.prefix}B`].filter((c) => c in w.state.view.catalogs),
  );
  if (catalog === undefined) return undefined;
  const n = w.next();
  const [name, description] = [`${w.prefix}p${n}`, `d${n}`];
  const request = { method: 'POST', path: '/accessPackages', body: { displayName: name, description, catalogId: id(w, catalog) }, statuses: [201] };
  return [request, withView((v) => addPackage(v, name, catalog, description))];
}

function patchPackage(w: StepMaker, r: Random, except: string[] = []): [Request, Step['apply'][number]] | undefined {
  const name = pick(
    r,
    Object.keys(w.state.view.packages).filter((p) => !except.includes(p)),
  );
  if (name === undefined) return undefined;
  const description = `d${w.next()}`;
  const request = { method: 'PATCH', path: `/accessPackages/${id(w, name)}`, body: { description }, statuses: [204] };
  return [request, withView((v) => (v.packages[name]!.description = description))];
}

const one = (label: string, made: [Request, Step['apply'][number]] | undefined): Step | undefined =>
  made && { label: `${label} ${made[0].method} ${made[0].path}`, requests: [made[0]], apply: [made[1]] };

const admin = (w: StepMaker, method: string, path: string, statuses: number[], body?: unknown): Request => ({
  method,
  path: `/_emulator${path}${tenantQuery(w.tenant)}`,
  statuses,
  ...(body === undefined ? {} : { body }),
});

const graph: [number, Build][] = [
  [4, (w, r) => one('create', createPackage(w, r))],
  [3, (w, r) => one('patch', patchPackage(w, r))],
  [
    2,
    (w, r) => {
      const pkg = pick(r, Object.keys(w.state.view.packages));
      if (pkg !== undefined && w.state.view.packages[pkg]!.policies.length >= 3) return undefined;
      const name = `${w.prefix}q${w.next()}`;
      const body = { accessPackageId: pkg && id(w, pkg), displayName: name };
      const apply = withView((v) => v.packages[pkg!]!.policies.push(name));
      return pkg === undefined
        ? undefined
        : { label: 'policy', requests: [{ method: 'POST', path: '/accessPackageAssignmentPolicies', body, statuses: [201] }], apply: [apply] };
    },
  ],
  [
    2,
    (w, r) => {
      const pkg = pick(r, Object.keys(w.state.view.packages));
      if (pkg === undefined) return undefined;
      return {
        label: `delete package ${pkg}`,
        requests: [{ method: 'DELETE', path: `/accessPackages/${id(w, pkg)}`, statuses: [204] }],
        apply: [withView((v) => deletePackage(v, pkg))],
      };
    },
  ],
  [
    2,
    (w, r) => {
      const pkg = pick(r, Object.keys(w.state.view.packages));
      const from = pkg && w.state.view.packages[pkg]!.catalog;
      const to = from === `${w.prefix}A` ? `${w.prefix}B` : `${w.prefix}A`;
      if (pkg === undefined || !(to in w.state.view.catalogs) || from === undefined || !(from in w.state.view.catalogs)) return undefined;
      const request = { method: 'POST', path: `/accessPackages/${id(w, pkg)}/moveToCatalog`, body: { catalogId: id(w, to) }, statuses: [200] };
      return { label: `move ${pkg} to ${to}`, requests: [request], apply: [withView((v) => movePackage(v, pkg, to))] };
    },
  ],
  [
    1,
    (w) => {
      if (Object.keys(w.state.view.catalogs).length >= MAX_CATALOGS) return undefined;
      const name = `${w.prefix}c${w.next()}`;
      const request = { method: 'POST', path: '/accessPackageCatalogs', body: { displayName: name }, statuses: [201] };
      return { label: 'create catalog', requests: [request], apply: [withView((v) => (v.catalogs[name] = []))] };
    },
  ],
  [
    1,
    (w, r) => {
      const used = new Set(Object.values(w.state.view.packages).map((p) => p.catalog));
      const catalog = pick(
        r,
        Object.keys(w.state.view.catalogs).filter((c) => !used.has(c) && c !== `${w.prefix}A` && c !== `${w.prefix}B`),
      );
      if (catalog === undefined) return undefined;
      const request = { method: 'DELETE', path: `/accessPackageCatalogs/${id(w, catalog)}`, statuses: [204] };
      return { label: `delete catalog ${catalog}`, requests: [request], apply: [withView((v) => delete v.catalogs[catalog])] };
    },
  ],
  [
    1,
    (w, r) => {
      const [a, b] = r.shuffle(Object.keys(w.state.view.packages));
      if (b === undefined || w.state.view.packages[a!]!.incompatibleWith.includes(b)) return undefined;
      const request = {
        method: 'POST',
        path: `/accessPackages/${id(w, a!)}/incompatibleAccessPackages/$ref`,
        body: { '@odata.id': `${GRAPH}/accessPackages/${id(w, b)}` },
        statuses: [204],
      };
      return { label: 'incompatible', requests: [request], apply: [withView((v) => v.packages[a!]!.incompatibleWith.push(b))] };
    },
  ],
  [
    2,
    (w, r) => {
      const items: [Request, Step['apply'][number]][] = [];
      for (let i = r.int(2, 3); i > 0; i -= 1) {
        const patched = items.map(([req]) => req.path);
        const made = r.chance(0.5)
          ? createPackage(w, r)
          : patchPackage(
              w,
              r,
              Object.keys(w.state.view.packages).filter((p) => patched.includes(`/accessPackages/${id(w, p)}`)),
            );
        if (made) items.push(made);
      }
      return items.length < 2 ? undefined : { label: `$batch of ${items.length}`, requests: items.map(([q]) => q), apply: items.map(([, a]) => a) };
    },
  ],
];

const owned: [number, Build][] = [
  [1, (w, r) => reset(w, r)],
  [
    1,
    (w) => {
      if (Object.keys(w.state.baselines).length >= 3) return undefined;
      const name = `b${w.next()}`;
      const apply = (s: State) => ({ ...s, baselines: { ...s.baselines, [name]: structuredClone(s.view) } });
      return { label: `save baseline ${name}`, requests: [admin(w, 'PUT', `/snapshots/${name}`, [201])], apply: [apply] };
    },
  ],
  [
    1,
    (w, r) => {
      const name = pick(r, Object.keys(w.state.baselines));
      const apply = (s: State) => ({ ...s, view: structuredClone(s.baselines[name!]!) });
      return name === undefined
        ? undefined
        : { label: `restore ${name}`, requests: [admin(w, 'POST', `/snapshots/${name}/restore`, [200])], apply: [apply], replacesIds: true };
    },
  ],
  [
    0.5,
    (w, r) => {
      const name = pick(r, Object.keys(w.state.baselines));
      const apply = (s: State) => ({ ...s, baselines: Object.fromEntries(Object.entries(s.baselines).filter(([n]) => n !== name)) });
      return name === undefined ? undefined : { label: `delete baseline ${name}`, requests: [admin(w, 'DELETE', `/snapshots/${name}`, [204])], apply: [apply] };
    },
  ],
  [
    0.3,
    (w) => {
      const request = { method: 'DELETE', path: `/_emulator/tenants/${w.tenant}`, statuses: [204] };
      return { label: 'drop tenant', requests: [request], apply: [() => ({ exists: false, view: emptyView(), baselines: {} })] };
    },
  ],
];

/** A reset of the tenant to fresh records (which adds it when it was dropped); its baselines stay. */
function reset(w: StepMaker, r: Random): Step {
  const records = workerRecords(w.prefix, r.int(1, 4));
  const apply = (s: State) => ({ exists: true, view: viewOf(records, w.prefix), baselines: s.baselines });
  return { label: 'reset', requests: [admin(w, 'POST', '/reset', [200], records)], apply: [apply], replacesIds: true };
}

/** A dropped tenant added again by its token's first request, with FIXTURES (`empty`: the General catalog alone). */
function addedByToken(): Step {
  const request = { method: 'GET', path: '/accessPackages?$top=1', statuses: [200] };
  return { label: 'tenant added by a token', requests: [request], apply: [() => ({ exists: true, view: emptyView(), baselines: {} })], replacesIds: true };
}

export function pickStep(w: StepMaker, r: Random): Step {
  if (!w.state.exists) return r.chance(0.5) ? reset(w, r) : addedByToken();
  const builds = w.owner ? [...graph, ...owned] : graph;
  const total = builds.reduce((sum, [weight]) => sum + weight, 0);
  for (;;) {
    let x = r.next() * total;
    let chosen = builds[0]![1];
    for (const [weight, build] of builds) {
      chosen = build;
      if (x < weight) break;
      x -= weight;
    }
    const build = chosen;
    const step = build(w, r);
    if (step !== undefined) return step;
  }
}
