// The requests of the model-based test that a `$batch` may carry too: each resolved against the model into a
// method, a URL, a body, what it touches, and the check of its answer, which also applies its effect to the model.
import { expect } from '@jest/globals';
import { type Answer, GRAPH_DATE_TIME, GUID, expectGraphError } from './graph.js';
import { CONTEXT, type Rec, type TenantModel, UNKNOWN_ID, expectRecord, expectSuccess, upnOf, v1Package } from './graphModel.js';

export const ROOT = '/identityGovernance/entitlementManagement';
const GRAPH_PACKAGES = `https://graph.microsoft.com/beta${ROOT}/accessPackages`;

/** Where an answer came from: a request of its own (with Graph's headers) or an item of a `$batch`. */
export interface Context {
  origin: string;
  tid: string;
  batch: boolean;
}

export interface Resolved {
  label: string;
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Under /beta (or /v1.0), as a `$batch` item names it. */
  url: string;
  /** v1.0 reads are sent on their own, never in a beta `$batch`. */
  version?: 'v1.0';
  body?: Rec;
  /** Ids whose records the request reads or changes: the items of one `$batch` touch none in common. */
  touches: string[];
  /** The collection it adds a record to: one `$batch` adds at most one to each, their order being undefined. */
  creates?: 'packages' | 'catalogs' | 'policies';
  check(t: TenantModel, answer: Answer, ctx: Context): void;
}

/** A request chosen by the generator, made concrete against the tenant as the model holds it. */
export type Op = (t: TenantModel) => Resolved;

/** The id a generated number picks among `ids`, or one that names nothing. */
export const pick = (ids: readonly string[], n: number): string => (n % (ids.length + 1) === ids.length ? UNKNOWN_ID : ids[n % (ids.length + 1)]!);

function ok(answer: Answer, status: number, ctx: Context): void {
  if (!ctx.batch) return expectSuccess(answer, status);
  if (answer.status !== status) throw new Error(`expected ${status}, got ${answer.status}: ${JSON.stringify(answer.body)}`);
  expect(answer.headers['odata-version']).toBe('4.0');
}

function refused(answer: Answer, status: number, code: string, message: string | RegExp, ctx: Context): void {
  if (!ctx.batch) return expectGraphError(answer, status, code, message);
  expect([answer.status, answer.headers['content-type'], answer.body?.error?.code]).toEqual([status, 'application/json', code]);
  expect(answer.body.error.message).toMatch(message);
}

const literally = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const notFound = (answer: Answer, ctx: Context) => refused(answer, 404, 'ResourceNotFound', 'The resource was not found.', ctx);
const invalidModel = (answer: Answer, ctx: Context) => refused(answer, 400, 'InvalidModel', 'Model is not valid.', ctx);

/** A 201: the record as predicted, its Location, and the model holding it from now on. */
function created(collection: Map<string, Rec>, path: string, expected: Rec, answer: Answer, ctx: Context, v1?: (held: Rec) => Rec): void {
  ok(answer, 201, ctx);
  const { '@odata.context': context, '@odata.type': _type, ...record } = answer.body as Rec;
  const held = { ...expected, id: record['id'], createdDateTime: record['createdDateTime'], modifiedDateTime: record['modifiedDateTime'] };
  expect(record).toEqual((v1 ?? ((r: Rec) => r))(held));
  expect(record['id']).toMatch(GUID);
  expect(record['createdDateTime']).toMatch(GRAPH_DATE_TIME);
  expect(context).toBe(`${v1 === undefined ? CONTEXT : CONTEXT.replace('/beta/', '/v1.0/')}/${path}/$entity`);
  expect(record['modifiedDateTime']).toBe(record['createdDateTime']);
  expect(answer.headers['location']).toBe(`${ctx.origin}/${v1 === undefined ? 'beta' : 'v1.0'}${ROOT}/${path}/${record['id']}`);
  collection.set(record['id'] as string, held);
}

/** v1.0's create of a package: its displayName and catalog required; shown in v1.0's shape, read in beta's. */
export function createPackageV1(body: Rec, catalog: number): Op {
  return (t) => {
    const catalogId = pick([...t.catalogs.keys()], catalog);
    const { uniqueName: _u, ...v1Body } = body;
    const sent = { ...v1Body, catalog: { id: catalogId } };
    return {
      label: `POST v1.0 packages ${JSON.stringify(sent)}`,
      method: 'POST',
      url: `${ROOT}/accessPackages`,
      version: 'v1.0',
      body: sent,
      touches: [catalogId],
      creates: 'packages',
      check(t, answer, ctx) {
        if (catalogId === UNKNOWN_ID || v1Body['displayName'] === null || v1Body['displayName'] === undefined) return invalidModel(answer, ctx);
        const upn = upnOf(ctx.tid);
        const expected = {
          description: null,
          isHidden: false,
          uniqueName: null,
          ...v1Body,
          catalogId,
          isRoleScopesVisible: false,
          createdBy: upn,
          modifiedBy: upn,
        };
        created(t.packages, 'accessPackages', expected, answer, ctx, v1Package);
      },
    };
  };
}

type Kind = 'packages' | 'catalogs' | 'policies';

/**
 * The URL of one record in one of OData's key forms: `/{id}`, the id in capitals, `('{id}')`, `({id})`, `(id='{id}')`,
 * and the alternate key `(uniqueName='…')` where the record has one.
 */
export function keyPath(set: string, id: string, record: Rec | undefined, form: number): string {
  const uniqueName = record?.['uniqueName'];
  switch (form % 6) {
    case 1:
      return `${set}/${id.toUpperCase()}`;
    case 2:
      return `${set}('${id}')`;
    case 3:
      return `${set}(${id})`;
    case 4:
      return `${set}(id='${id}')`;
    case 5:
      if (typeof uniqueName === 'string') return `${set}(uniqueName='${encodeURIComponent(uniqueName.replaceAll("'", "''"))}')`;
      return `${set}/${id}`;
    default:
      return `${set}/${id}`;
  }
}

/** A uniqueName another record of the collection already has: the write is a 400. */
function clash(collection: Map<string, Rec>, id: string | null, body: Rec): string | undefined {
  const value = body['uniqueName'];
  if (typeof value !== 'string') return undefined;
  return [...collection.values()].some((r) => r['uniqueName'] === value && r['id'] !== id) ? value : undefined;
}
const uniqueTouch = (kind: string, body: Rec | undefined): string[] => (typeof body?.['uniqueName'] === 'string' ? [`${kind}:${body['uniqueName']}`] : []);
const SET: Record<Kind, string> = { packages: 'accessPackages', catalogs: 'accessPackageCatalogs', policies: 'accessPackageAssignmentPolicies' };

export function getOne(kind: Kind, n: number, form = 0, v1 = false, expand = false): Op {
  return (t) => {
    const id = pick([...t[kind].keys()], n);
    const record = t[kind].get(id);
    const version = v1 && kind === 'packages';
    // A beta package with its catalog expanded.
    const expanding = expand && !version && kind === 'packages';
    const catalogId = record?.['catalogId'] as string | undefined;
    return {
      label: `GET ${version ? 'v1.0 ' : ''}${kind} ${keyPath('', id, record, form)}${expanding ? '?$expand=accessPackageCatalog' : ''}`,
      method: 'GET',
      url: `${ROOT}/${keyPath(SET[kind], id, record, form)}${expanding ? '?$expand=accessPackageCatalog' : ''}`,
      ...(version ? { version: 'v1.0' as const } : {}),
      touches: [id, ...uniqueTouch(kind, record), ...(expanding && catalogId !== undefined ? [catalogId] : [])],
      check(t, answer, ctx) {
        if (id === UNKNOWN_ID) return notFound(answer, ctx);
        ok(answer, 200, ctx);
        const { '@odata.context': context, accessPackageCatalog, ...read } = answer.body as Rec;
        // An expansion is named in the context, with the empty list of what it selects (docs/querying.md).
        const expansion = expanding ? '(accessPackageCatalog())' : '';
        expect(context).toBe(`${version ? CONTEXT.replace('/beta/', '/v1.0/') : CONTEXT}/${SET[kind]}${expansion}/$entity`);
        expectRecord(t, t[kind], read, version ? v1Package : undefined);
        if (!expanding) return expect(accessPackageCatalog).toBeUndefined();
        expectRecord(t, t.catalogs, accessPackageCatalog as Rec);
      },
    };
  };
}

/** PUT of a policy: what the body leaves out returns to its default; the package, the id and the creation stay. */
export function putPolicy(n: number, displayName: string, description: string | null): Op {
  return (t) => {
    const id = pick([...t.policies.keys()], n);
    const body = { displayName, description };
    return {
      label: `PUT policies ${id} ${JSON.stringify(body)}`,
      method: 'PUT',
      url: `${ROOT}/accessPackageAssignmentPolicies/${id}`,
      body,
      touches: [id],
      check(t, answer, ctx) {
        if (id === UNKNOWN_ID) return notFound(answer, ctx);
        ok(answer, 200, ctx);
        const held = t.policies.get(id)!;
        const { '@odata.context': context, ...read } = answer.body as Rec;
        expect(context).toBe(`${CONTEXT}/accessPackageAssignmentPolicies/$entity`);
        const kept = { id, accessPackageId: held['accessPackageId'], createdBy: held['createdBy'], createdDateTime: held['createdDateTime'] };
        const expected = { ...POLICY_DEFAULTS, ...body, ...kept, modifiedBy: upnOf(ctx.tid), modifiedDateTime: read['modifiedDateTime'] };
        expect(read).toEqual(expected);
        if (!t.stale.has(id)) expect(String(read['modifiedDateTime']) > String(held['modifiedDateTime'])).toBe(true);
        t.stale.delete(id);
        t.policies.set(id, expected);
      },
    };
  };
}

export function patchOne(kind: 'packages' | 'catalogs', n: number, sent: Rec, form = 0, v1 = false): Op {
  return (t) => {
    const id = pick([...t[kind].keys()], n);
    const record = t[kind].get(id);
    const version = v1 && kind === 'packages';
    // v1.0's package has no uniqueName.
    const { uniqueName: _u, ...v1Changes } = sent;
    const changes = version ? v1Changes : sent;
    return {
      label: `PATCH ${version ? 'v1.0 ' : ''}${kind} ${keyPath('', id, record, form)} ${JSON.stringify(changes)}`,
      method: 'PATCH',
      url: `${ROOT}/${version ? `accessPackages/${id}` : keyPath(SET[kind], id, record, form)}`,
      ...(version ? { version: 'v1.0' as const } : {}),
      body: changes,
      touches: [id, ...uniqueTouch(kind, record), ...uniqueTouch(kind, changes)],
      check(t, answer, ctx) {
        if (id === UNKNOWN_ID) return notFound(answer, ctx);
        const taken = clash(t[kind], id, changes);
        if (taken !== undefined) return refused(answer, 400, 'BadRequest', new RegExp(`uniqueName '${literally(taken)}' already exists`), ctx);
        // v1.0 cannot take a package's displayName away (it is required there), but may send back the null it read.
        if (version && changes['displayName'] === null && record!['displayName'] !== null) return invalidModel(answer, ctx);
        ok(answer, 204, ctx);
        t[kind].set(id, { ...t[kind].get(id), ...changes, modifiedBy: upnOf(ctx.tid) });
        t.stale.add(id);
      },
    };
  };
}

const policiesOf = (t: TenantModel, id: string) => [...t.policies.values()].filter((p) => p['accessPackageId'] === id).map((p) => p['id'] as string);

/** Deleting a package takes its policies and every incompatibility that names it along. */
function forgetPackage(t: TenantModel, id: string): void {
  t.packages.delete(id);
  for (const [policy, record] of t.policies) if (record['accessPackageId'] === id) t.policies.delete(policy);
  t.incompatible.delete(id);
  for (const [from, ids] of t.incompatible)
    t.incompatible.set(
      from,
      ids.filter((other) => other !== id),
    );
}

export function deleteOne(kind: Kind, n: number, form = 0): Op {
  return (t) => {
    // Catalogs without packages are picked more often: those are the ones a delete removes.
    const empty = kind === 'catalogs' ? [...t.catalogs.keys()].filter((c) => ![...t.packages.values()].some((p) => p['catalogId'] === c)) : [];
    const id = pick([...empty, ...t[kind].keys()], n);
    const record = t[kind].get(id);
    const packages = kind === 'catalogs' ? [...t.packages.values()].filter((p) => p['catalogId'] === id) : [];
    return {
      label: `DELETE ${kind} ${keyPath('', id, record, form)}`,
      method: 'DELETE',
      url: `${ROOT}/${keyPath(SET[kind], id, record, form)}`,
      // A package's delete changes whether its catalog may be deleted, and what names it.
      touches: [
        id,
        ...uniqueTouch(kind, record),
        ...(kind === 'packages' ? [String(record?.['catalogId']), ...(t.incompatible.get(id) ?? []), ...policiesOf(t, id)] : []),
      ],
      check(t, answer, ctx) {
        if (record === undefined) return notFound(answer, ctx);
        if (kind === 'catalogs' && record['catalogType'] === 'ServiceDefault') {
          return refused(answer, 400, 'BadRequest', `The catalog: ${record['displayName']} can not be deleted because it is the built-in catalog.`, ctx);
        }
        if (packages.length > 0) {
          return refused(answer, 400, 'BadRequest', `The catalog: ${record['displayName']} can not be deleted because it contains access packages.`, ctx);
        }
        ok(answer, 204, ctx);
        if (kind === 'packages') forgetPackage(t, id);
        else t[kind].delete(id);
      },
    };
  };
}

/** A package in the catalog picked, or with no catalog named (the General catalog). */
export function createPackage(body: Rec, catalog: number | null): Op {
  return (t) => {
    const general = [...t.catalogs.values()].find((c) => c['catalogType'] === 'ServiceDefault')!['id'] as string;
    const catalogId = catalog === null ? general : pick([...t.catalogs.keys()], catalog);
    const sent = catalog === null ? body : { ...body, catalogId };
    return {
      label: `POST packages ${JSON.stringify(sent)}`,
      method: 'POST',
      url: `${ROOT}/accessPackages`,
      body: sent,
      touches: [catalogId, ...uniqueTouch('packages', body)],
      creates: 'packages',
      check(t, answer, ctx) {
        if (catalogId === UNKNOWN_ID) return invalidModel(answer, ctx);
        const taken = clash(t.packages, null, body);
        if (taken !== undefined) return refused(answer, 400, 'BadRequest', new RegExp(`uniqueName '${literally(taken)}' already exists`), ctx);
        const upn = upnOf(ctx.tid);
        const expected = { description: null, isHidden: false, uniqueName: null, ...body, catalogId, isRoleScopesVisible: false };
        created(t.packages, 'accessPackages', { ...expected, createdBy: upn, modifiedBy: upn }, answer, ctx);
        expect(answer.body['@odata.type']).toBe('#Microsoft.IGAELM.EC.FrontEnd.ExternalModel.accessPackage');
      },
    };
  };
}

export function createCatalog(body: Rec): Op {
  return () => ({
    label: `POST catalogs ${JSON.stringify(body)}`,
    method: 'POST',
    url: `${ROOT}/accessPackageCatalogs`,
    body,
    touches: uniqueTouch('catalogs', body),
    creates: 'catalogs',
    check(t, answer, ctx) {
      const taken = clash(t.catalogs, null, body);
      if (taken !== undefined) return refused(answer, 400, 'BadRequest', new RegExp(`uniqueName '${literally(taken)}' already exists`), ctx);
      const upn = upnOf(ctx.tid);
      const expected = { description: null, isExternallyVisible: false, uniqueName: null, ...body, catalogStatus: 'Published', catalogType: 'UserManaged' };
      const by = { createdBy: upn, modifiedBy: upn, privilegeLevel: 'standard' };
      created(t.catalogs, 'accessPackageCatalogs', { ...expected, ...by }, answer, ctx);
    },
  });
}

/** Graph's no-approval policy, what a create that sends only a name and a package gets. */
const POLICY_DEFAULTS = {
  accessPackageNotificationSettings: null,
  accessReviewSettings: null,
  canExtend: false,
  description: null,
  durationInDays: 0,
  expirationDateTime: null,
  questions: [],
  requestApprovalSettings: {
    isApprovalRequired: false,
    isApprovalRequiredForExtension: false,
    isRequestorJustificationRequired: false,
    approvalMode: 'NoApproval',
    approvalStages: [],
  },
  requestorSettings: { scopeType: 'NoSubjects', acceptRequests: true, allowedRequestors: [] },
  verifiableCredentialSettings: null,
};

export function createPolicy(displayName: string, n: number): Op {
  return (t) => {
    const accessPackageId = pick([...t.packages.keys()], n);
    return {
      label: `POST policies ${displayName} for ${accessPackageId}`,
      method: 'POST',
      url: `${ROOT}/accessPackageAssignmentPolicies`,
      body: { displayName, accessPackageId },
      touches: [accessPackageId],
      creates: 'policies',
      check(t, answer, ctx) {
        if (accessPackageId === UNKNOWN_ID) return invalidModel(answer, ctx);
        const upn = upnOf(ctx.tid);
        const expected = { ...POLICY_DEFAULTS, displayName, accessPackageId, createdBy: upn, modifiedBy: upn };
        created(t.policies, 'accessPackageAssignmentPolicies', expected, answer, ctx);
      },
    };
  };
}

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
