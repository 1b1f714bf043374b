// The requests of the model-based test that a `$batch` may carry too, and what they share: each resolved against
// the model into a method, a URL, a body, what it touches, and the check of its answer, which also applies its
// effect to the model. Reads, updates and deletes are here; creates in graphModelCreates.ts, $refs in graphModelLinks.ts.
import { expect } from '@jest/globals';
import { type Answer, GRAPH_DATE_TIME, GUID, expectGraphError } from './graph.js';
import { CONTEXT, type Rec, type TenantModel, UNKNOWN_ID, expectRecord, expectSuccess, upnOf, v1Catalog, v1Package } from './graphModel.js';

export const ROOT = '/identityGovernance/entitlementManagement';
export const GRAPH_PACKAGES = `https://graph.microsoft.com/beta${ROOT}/accessPackages`;

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

export function ok(answer: Answer, status: number, ctx: Context): void {
  if (!ctx.batch) return expectSuccess(answer, status);
  if (answer.status !== status) throw new Error(`expected ${status}, got ${answer.status}: ${JSON.stringify(answer.body)}`);
  expect(answer.headers['odata-version']).toBe('4.0');
}

export function refused(answer: Answer, status: number, code: string, message: string | RegExp, ctx: Context): void {
  if (!ctx.batch) return expectGraphError(answer, status, code, message);
  expect([answer.status, answer.headers['content-type'], answer.body?.error?.code]).toEqual([status, 'application/json', code]);
  expect(answer.body.error.message).toMatch(message);
}

export const literally = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
export const notFound = (answer: Answer, ctx: Context) => refused(answer, 404, 'ResourceNotFound', 'The resource was not found.', ctx);
export const invalidModel = (answer: Answer, ctx: Context) => refused(answer, 400, 'InvalidModel', 'Model is not valid.', ctx);

/** A 201: the record as predicted, its Location, and the model holding it from now on. */
export function created(collection: Map<string, Rec>, path: string, expected: Rec, answer: Answer, ctx: Context, v1?: (held: Rec) => Rec): void {
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
export function clash(collection: Map<string, Rec>, id: string | null, body: Rec): string | undefined {
  const value = body['uniqueName'];
  if (typeof value !== 'string') return undefined;
  return [...collection.values()].some((r) => r['uniqueName'] === value && r['id'] !== id) ? value : undefined;
}
export const uniqueTouch = (kind: string, body: Rec | undefined): string[] =>
  typeof body?.['uniqueName'] === 'string' ? [`${kind}:${body['uniqueName']}`] : [];
const SET: Record<Kind, string> = { packages: 'accessPackages', catalogs: 'accessPackageCatalogs', policies: 'accessPackageAssignmentPolicies' };
/** v1.0's entity sets and views of the same records (v1.0 has no uniqueName: no alternate key there). */
const V1_SET = { packages: 'accessPackages', catalogs: 'catalogs' } as const;
const V1_VIEW = { packages: v1Package, catalogs: v1Catalog } as const;
const V1_CONTEXT = CONTEXT.replace('/beta/', '/v1.0/');

export function getOne(kind: Kind, n: number, form = 0, v1 = false, expand = false): Op {
  return (t) => {
    const id = pick([...t[kind].keys()], n);
    const record = t[kind].get(id);
    const version = v1 && kind !== 'policies' ? kind : undefined;
    // A beta package with its catalog expanded.
    const expanding = expand && version === undefined && kind === 'packages';
    const catalogId = record?.['catalogId'] as string | undefined;
    const path = version === undefined ? keyPath(SET[kind], id, record, form) : keyPath(V1_SET[version], id, undefined, form);
    return {
      label: `GET ${version ? 'v1.0 ' : ''}${kind} ${keyPath('', id, record, form)}${expanding ? '?$expand=accessPackageCatalog' : ''}`,
      method: 'GET',
      url: `${ROOT}/${path}${expanding ? '?$expand=accessPackageCatalog' : ''}`,
      ...(version ? { version: 'v1.0' as const } : {}),
      touches: [id, ...uniqueTouch(kind, record), ...(expanding && catalogId !== undefined ? [catalogId] : [])],
      check(t, answer, ctx) {
        if (id === UNKNOWN_ID) return notFound(answer, ctx);
        ok(answer, 200, ctx);
        const { '@odata.context': context, accessPackageCatalog, ...read } = answer.body as Rec;
        // An expansion is named in the context, with the empty list of what it selects (docs/querying.md).
        const expansion = expanding ? '(accessPackageCatalog())' : '';
        expect(context).toBe(version === undefined ? `${CONTEXT}/${SET[kind]}${expansion}/$entity` : `${V1_CONTEXT}/${V1_SET[version]}/$entity`);
        expectRecord(t, t[kind], read, version === undefined ? undefined : V1_VIEW[version]);
        if (!expanding) return expect(accessPackageCatalog).toBeUndefined();
        expectRecord(t, t.catalogs, accessPackageCatalog as Rec);
      },
    };
  };
}

export function patchOne(kind: 'packages' | 'catalogs', n: number, sent: Rec, form = 0, v1 = false): Op {
  return (t) => {
    const id = pick([...t[kind].keys()], n);
    const record = t[kind].get(id);
    // v1.0 has no uniqueName, and a catalog's status is its state.
    const { uniqueName: _u, catalogStatus, ...v1Changes } = sent;
    const state = typeof catalogStatus === 'string' ? { state: catalogStatus.toLowerCase() } : {};
    const changes = v1 ? { ...v1Changes, ...state } : sent;
    return {
      label: `PATCH ${v1 ? 'v1.0 ' : ''}${kind} ${keyPath('', id, record, form)} ${JSON.stringify(changes)}`,
      method: 'PATCH',
      url: `${ROOT}/${v1 ? `${V1_SET[kind]}/${id}` : keyPath(SET[kind], id, record, form)}`,
      ...(v1 ? { version: 'v1.0' as const } : {}),
      body: changes,
      touches: [id, ...uniqueTouch(kind, record), ...uniqueTouch(kind, changes)],
      check(t, answer, ctx) {
        if (id === UNKNOWN_ID) return notFound(answer, ctx);
        const taken = clash(t[kind], id, changes);
        if (taken !== undefined) return refused(answer, 400, 'BadRequest', new RegExp(`uniqueName '${literally(taken)}' already exists`), ctx);
        // v1.0 cannot take a package's displayName away (it is required there), but may send back the null it read.
        if (v1 && kind === 'packages' && changes['displayName'] === null && record!['displayName'] !== null) return invalidModel(answer, ctx);
        ok(answer, 204, ctx);
        const asBeta = v1 ? { ...v1Changes, ...(typeof catalogStatus === 'string' ? { catalogStatus } : {}) } : changes;
        t[kind].set(id, { ...t[kind].get(id), ...asBeta, modifiedBy: upnOf(ctx.tid) });
        t.stale.add(id);
      },
    };
  };
}

export const policiesOf = (t: TenantModel, id: string) => [...t.policies.values()].filter((p) => p['accessPackageId'] === id).map((p) => p['id'] as string);

/** Deleting a package takes its policies, its role scopes, its incompatible groups and every incompatibility that names it along. */
function forgetPackage(t: TenantModel, id: string): void {
  t.packages.delete(id);
  t.roleScopes.delete(id);
  t.groups.delete(id);
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
        // A catalog's resources, with their roles and scopes, go with it.
        if (kind === 'catalogs') t.resources.delete(id);
      },
    };
  };
}
