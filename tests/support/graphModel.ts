// The model of the model-based test (tests/http/graphModel.test.ts): what each tenant of the emulator should hold,
// as plain maps in the order the emulator keeps its records, and the emulator it is checked against (a file store
// in a folder of its own, the app listening on port 0, closed and opened again by a restart).
import { expect } from '@jest/globals';
import type fc from 'fast-check';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { FileStore } from '../../server/store/fileStore.js';
import { DEFAULT_TENANT_ID } from '../../server/tenantIds.js';
import { tempDir } from './emulatorProcess.js';
import { type Answer, EM, ODATA_JSON, expectGraphHeaders } from './graph.js';
import { type Resources, copyResources, expectResources, incompatibilities, readResources, resourceCounts } from './graphModelResources.js';
import { type Listening, listenOn } from './realServer.js';
import { READ_WRITE, bearer, unsignedJwt } from './tokens.js';

export type Rec = Record<string, unknown>;
export type Command = fc.AsyncCommand<Model, Emulator>;

/** One tenant: each collection in the order a list without $orderby answers it. */
export interface TenantModel extends Resources {
  packages: Map<string, Rec>;
  catalogs: Map<string, Rec>;
  policies: Map<string, Rec>;
  /** Package id → the packages it names as incompatible, in the order the links were made. */
  incompatible: Map<string, string[]>;
  /** Records an acknowledged PATCH changed: their modifiedDateTime is later than the one held, and learnt at the next read. */
  stale: Set<string>;
}

export interface Model {
  /** The tenants that exist; one absent is added, with the fixtures, by its first Graph request or a reset. */
  tenants: Map<string, TenantModel>;
  /** Tenant → baseline name → the tenant as it was saved. */
  baselines: Map<string, Map<string, TenantModel>>;
  current: string;
  /** What a reset and a new tenant hold, read once at the start of the first run, and the counts a reset answers. */
  fixtures: TenantModel;
  fixtureCounts: Record<string, number>;
}

export const REFERENCE_DATE = '2026-11-01T00:00:00.000Z';
export const FIXTURES = { fixtures: 'small', seed: 42, referenceDate: REFERENCE_DATE };
/** Tenant ids as tokens and the admin API name them: a tenant id is matched in any case. */
export const TENANTS = [DEFAULT_TENANT_ID, 'model-a', 'model-b', 'MODEL-A', DEFAULT_TENANT_ID.toUpperCase()] as const;
/** The model's key of a tenant. */
export const tenantKey = (tid: string) => tid.toLowerCase();
export const UNKNOWN_ID = '7e3c9bb4-62a9-4c0b-9f3f-000000000000';
export const CONTEXT = 'https://graph.microsoft.com/beta/$metadata#identityGovernance/entitlementManagement';
export const upnOf = (tid: string) => `admin@${tid}.test`;
export const tokenOf = (tid: string) => bearer(unsignedJwt({ tid, upn: upnOf(tid), scp: READ_WRITE }));
/** The admin API's tenant query: none for the default tenant. */
export const tenantQuery = (tid: string) => (tid === DEFAULT_TENANT_ID ? '' : `?tenant=${tid}`);

export function copyTenant(t: TenantModel): TenantModel {
  return {
    packages: new Map(t.packages),
    catalogs: new Map(t.catalogs),
    policies: new Map(t.policies),
    incompatible: new Map([...t.incompatible].map(([k, v]) => [k, [...v]])),
    stale: new Set(t.stale),
    ...copyResources(t),
  };
}

/** The current tenant as the model holds it, or as a first request would make it, without adding it. */
export const peek = (m: Model): TenantModel => m.tenants.get(tenantKey(m.current)) ?? copyTenant(m.fixtures);

/** The tenant a Graph request of the current tenant reaches: added with the fixtures by that request if it is new. */
export function touch(m: Model): TenantModel {
  let t = m.tenants.get(tenantKey(m.current));
  if (t === undefined) {
    t = copyTenant(m.fixtures);
    m.tenants.set(tenantKey(m.current), t);
  }
  return t;
}

/** The emulator under test: one data file, reopened by a restart. */
export class Emulator {
  private constructor(
    readonly file: string,
    private store: FileStore,
    private listening: Listening,
  ) {}

  static async create(): Promise<Emulator> {
    const file = path.join(await tempDir('graph-model-'), 'db.json');
    return Emulator.open(file);
  }

  private static async open(file: string): Promise<Emulator> {
    const store = await FileStore.open(file);
    const listening = await listenOn(createApp({ store, fixtures: FIXTURES }));
    return new Emulator(file, store, listening);
  }

  get origin(): string {
    return `http://127.0.0.1:${this.listening.port}`;
  }

  api() {
    return request(this.origin);
  }

  async close(): Promise<void> {
    await this.listening.close();
    await this.store.close();
  }

  /** Close it and remove its folder: an exploring run makes thousands. */
  async destroy(): Promise<void> {
    await this.close();
    await rm(path.dirname(this.file), { recursive: true, force: true });
  }

  /** Close the app and the store, and open the same data file again, as a restart of the emulator does. */
  async restart(): Promise<void> {
    await this.close();
    const next = await Emulator.open(this.file);
    this.store = next.store;
    this.listening = next.listening;
  }
}

/** A success of the Graph routes: its status, Graph's headers, OData JSON (or nothing, for a 204). */
export function expectSuccess(res: Answer, status: number): void {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  expectGraphHeaders(res);
  expect(res.headers['odata-version']).toBe('4.0');
  if (status === 204) expect(res.headers['content-type']).toBeUndefined();
  else expect(res.headers['content-type']).toBe(ODATA_JSON);
}

/**
 * A record read back as the model holds it; a record a PATCH made stale must read a later modifiedDateTime, which
 * the model takes from then on.
 */
export function expectRecord(t: TenantModel, collection: Map<string, Rec>, read: Rec, view: (held: Rec) => Rec = (held) => held): void {
  const id = read['id'] as string;
  const held = collection.get(id);
  expect(held).toBeDefined();
  if (t.stale.has(id)) {
    expect(String(read['modifiedDateTime']) > String(held!['modifiedDateTime'])).toBe(true);
    collection.set(id, { ...held, modifiedDateTime: read['modifiedDateTime'] });
    t.stale.delete(id);
  }
  expect(read).toEqual(view(collection.get(id)!));
}

/** A catalog as v1.0 shows it: its status and type as v1.0's enums, a value they do not have as unknownFutureValue. */
export const v1Catalog = (c: Rec): Rec => {
  const member = (value: unknown, members: string[]) => {
    const lower = typeof value === 'string' ? `${value.charAt(0).toLowerCase()}${value.slice(1)}` : '';
    return members.includes(lower) ? lower : 'unknownFutureValue';
  };
  const { catalogStatus, catalogType, createdBy: _cb, modifiedBy: _mb, privilegeLevel: _p, uniqueName: _u, ...rest } = c;
  return {
    ...rest,
    catalogType: member(catalogType, ['userManaged', 'serviceDefault', 'serviceManaged']),
    state: member(catalogStatus, ['published', 'unpublished']),
  };
};

/** A package as v1.0 shows it: without beta's catalogId, createdBy, modifiedBy, isRoleScopesVisible, uniqueName. */
export const v1Package = (p: Rec): Rec => {
  const { catalogId: _c, createdBy: _cb, modifiedBy: _mb, isRoleScopesVisible: _v, uniqueName: _u, ...rest } = p;
  return rest;
};

/** Every page of a list, nextLinks followed to the end: each a success, on this emulator's origin. */
export async function allPages(emulator: Emulator, tid: string, url: string, firstHeaders: Record<string, string> = {}): Promise<Answer[]> {
  const pages: Answer[] = [];
  let next: string | undefined = url;
  while (next !== undefined) {
    const res: Answer = await emulator
      .api()
      .get(next)
      .set({ ...tokenOf(tid), ...(pages.length === 0 ? firstHeaders : {}) });
    expectSuccess(res, 200);
    pages.push(res);
    const link = res.body['@odata.nextLink'] as string | undefined;
    if (link !== undefined) expect(link.startsWith(`${emulator.origin}/beta/`)).toBe(true);
    next = link === undefined ? undefined : link.slice(emulator.origin.length);
    expect(pages.length).toBeLessThan(200);
  }
  return pages;
}

const strip = (r: Rec) => {
  const { '@odata.context': _c, ...rest } = r;
  return rest;
};

/** The whole of a tenant as its lists answer it: what the model starts from, and is compared with after a reset. */
export async function readTenant(emulator: Emulator, tid: string): Promise<TenantModel> {
  const values = async (url: string) => (await allPages(emulator, tid, url)).flatMap((p) => p.body.value as Rec[]);
  const packages = await values(`${EM}/accessPackages?$top=999`);
  const links = await values(`${EM}/accessPackages?$top=999&$select=id&$expand=incompatibleAccessPackages($select=id)`);
  return {
    packages: new Map(packages.map((r) => [r['id'] as string, strip(r)])),
    catalogs: new Map((await values(`${EM}/accessPackageCatalogs?$top=999`)).map((r) => [r['id'] as string, strip(r)])),
    policies: new Map((await values(`${EM}/accessPackageAssignmentPolicies?$top=999`)).map((r) => [r['id'] as string, strip(r)])),
    incompatible: new Map(
      links
        .map((r) => [r['id'] as string, (r['incompatibleAccessPackages'] as Rec[]).map((p) => p['id'] as string)] as const)
        .filter(([, ids]) => ids.length > 0)
        .map(([id, ids]) => [id, [...ids]]),
    ),
    stale: new Set(),
    ...(await readResources(values)),
  };
}

/** The tenant read back equals the model's, stale modification times taken as they read. */
export async function expectTenant(emulator: Emulator, tid: string, t: TenantModel): Promise<void> {
  const read = await readTenant(emulator, tid);
  for (const [name, held, got] of [
    ['packages', t.packages, read.packages],
    ['catalogs', t.catalogs, read.catalogs],
    ['policies', t.policies, read.policies],
  ] as const) {
    expect([name, ...got.keys()]).toEqual([name, ...held.keys()]);
    for (const record of got.values()) expectRecord(t, held, record);
  }
  expect(read.incompatible).toEqual(new Map([...t.incompatible].filter(([, ids]) => ids.length > 0)));
  expectResources(read, t);
}

export function expectAdmin(res: Answer, status: number): void {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
  expectGraphHeaders(res);
  if (status !== 204) expect(res.headers['content-type']).toMatch(/^application\/json/);
}

export const modelled = (t: TenantModel) => ({
  accessPackages: t.packages.size,
  accessPackageCatalogs: t.catalogs.size,
  accessPackageAssignmentPolicies: t.policies.size,
  ...resourceCounts(t),
  accessPackageIncompatibilities: incompatibilities(t.incompatible, t),
});
