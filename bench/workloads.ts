// What each workload sends to each server. The emulator is asked in Graph's terms, json-server in its own
// query language for the same answer (same page size, same case-insensitive filter), bare Express on
// json-server's paths. All of them get the same headers, the emulator's bearer token included.
import { collectionPath } from '../server/resources/outbound.js';
import { DEFAULT_FIXTURES, FIXTURE_SETS } from '../server/tenantData/sets.js';

export const ACCESS_PACKAGES_PATH = collectionPath('accessPackages');
const ITEM_BASE = ACCESS_PACKAGES_PATH.replace(/^\/beta/, '');
import { benchId } from './dataset.js';
import type { ServerName } from './servers.js';

export const WORKLOADS = ['create', 'get', 'list', 'filter', 'patch', 'delete', 'nomatch', 'orderby', 'expand', 'reset', 'restore', 'batch'] as const;
export type Workload = (typeof WORKLOADS)[number];
/** Measured on the emulator only, each size against emulator-small in the same rounds: how the emulator scales, not how it compares. */
export const EMULATOR_ONLY: readonly Workload[] = ['delete', 'nomatch', 'orderby'];
/**
 * Measured once, with one client, on an emulator of their own (emulator-fixtures) that holds the default fixtures:
 * each answer replaces everything stored, and a test suite waits for it before each test.
 */
export const FIXTURE_WORKLOADS: readonly Workload[] = ['reset', 'restore'];
/** Access packages of the default fixtures: the size of the reset and restore rows. */
export const FIXTURE_PACKAGES = FIXTURE_SETS[DEFAULT_FIXTURES]!.accessPackages;
/** The baseline the restore workload puts back, saved before it is measured. */
export const BASELINE = 'bench';
/** Graph features the others do not have, measured on the emulator alone at the first size. */
export const EMULATOR_FEATURES: readonly Workload[] = ['batch'];
/** What `--instructions` counts under valgrind (instructions.ts): one get by id, one create. */
export const COUNTED_WORKLOADS = ['get', 'create'] as const;
export type CountedWorkload = (typeof COUNTED_WORKLOADS)[number];
/** GETs in one `$batch` of the batch workload: Graph's most. */
export const BATCH_SIZE = 20;

export interface BenchRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  body?: string;
  /** In place of REQUEST_HEADERS, e.g. the token of another tenant. */
  headers?: Record<string, string>;
  /** A request that only sets up the measured ones: answered and checked, but not counted in req/s or latency. */
  uncounted?: boolean;
  /** autocannon's hooks: the request's final form just before it is sent (falsy: skip to the first request), and its answer. */
  setupRequest?: (request: BenchRequest) => BenchRequest | undefined;
  onResponse?: (status: number, body: string) => void;
}

// A delegated token as Entra ID shapes one (unsigned: AUTH=bearer reads any JWT), so every request pays for
// what a real client's does: the claims read once per distinct token, the permission checked per request.
// With a `tid`, the token of that tenant (docs/identity.md#tenants); without, the default tenant's.
const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const benchToken = (tid?: string) =>
  `${part({ typ: 'JWT', alg: 'none' })}.${part({ aud: 'https://graph.microsoft.com', upn: 'bench@contoso.onmicrosoft.com', scp: 'EntitlementManagement.ReadWrite.All', ...(tid === undefined ? {} : { tid }) })}.`;
/** The headers of every request, in the tenant `tid` names (the default tenant without it). */
export const requestHeaders = (tid?: string) => ({ authorization: `Bearer ${benchToken(tid)}`, 'content-type': 'application/json' });
export const REQUEST_HEADERS = requestHeaders();
export const CREATE_BODY = JSON.stringify({ displayName: 'Benchmark package', description: 'Created by the benchmark', isHidden: false });
export const PATCH_BODY = JSON.stringify({ description: 'Patched by the benchmark' });
export const FILTER = "contains(tolower(displayName),'x')";
/** No stored name contains it: the whole collection is scanned for an empty first page. */
const FILTER_NOTHING = "contains(tolower(displayName),'no such name')";
const ORDER_BY = 'displayName desc';
const EXPAND = 'accessPackageAssignmentPolicies';

export interface WorkloadContext {
  /** Records stored when the workload starts. */
  size: number;
  /** The emulator's first page size, so every server returns as many records. */
  pageSize: number;
}

/** Ids spread over the whole collection, so reads and patches do not all hit the first records. */
function sampleIds(size: number, count = 64): string[] {
  const n = Math.min(size, count);
  return Array.from({ length: n }, (_, i) => benchId(Math.floor((i * size) / n)));
}

/** Tenants of the emulator-tenants server, the default one included (bench/tenants.ts). */
export const BENCH_TENANTS = 100;
/** Tenant 0 is the default tenant (no tid); the others are `bench-<i>`. */
export const tidOf = (tenant: number): string | undefined => (tenant === 0 ? undefined : `bench-${tenant}`);
/** Records per tenant of the emulator-tenants server holding `total` records. */
export const perTenant = (total: number): number => Math.max(1, Math.floor(total / BENCH_TENANTS));

/** On emulator-tenants: one request per tenant, each with its tenant's token; a get reads a record of that tenant. */
function tenantRequests(workload: Workload, total: number): BenchRequest[] {
  if (workload !== 'create' && workload !== 'get') throw new Error(`emulator-tenants measures create and get, not ${workload}`);
  const per = perTenant(total);
  return Array.from({ length: BENCH_TENANTS }, (_, tenant) => {
    const headers = requestHeaders(tidOf(tenant));
    if (workload === 'create') return { method: 'POST', path: ACCESS_PACKAGES_PATH, body: CREATE_BODY, headers };
    return { method: 'GET', path: `${ACCESS_PACKAGES_PATH}/${benchId(tenant * per + ((tenant * 37) % per))}`, headers };
  });
}

export function requestsFor(server: ServerName, workload: Workload, ctx: WorkloadContext): BenchRequest[] {
  if (server === 'emulator-tenants') return tenantRequests(workload, ctx.size);
  const collection = server.startsWith('emulator') ? ACCESS_PACKAGES_PATH : '/accessPackages';
  const page = `_page=1&_per_page=${ctx.pageSize}`;
  switch (workload) {
    case 'create':
      return [{ method: 'POST', path: collection, body: CREATE_BODY }];
    case 'get':
      return sampleIds(ctx.size).map((id) => ({ method: 'GET', path: `${collection}/${id}` }));
    case 'patch':
      return sampleIds(ctx.size).map((id) => ({ method: 'PATCH', path: `${collection}/${id}`, body: PATCH_BODY }));
    case 'list':
      return [{ method: 'GET', path: server === 'json-server' ? `${collection}?${page}` : collection }];
    case 'filter':
      return [
        {
          method: 'GET',
          path: server === 'json-server' ? `${collection}?displayName:contains=x&${page}` : `${collection}?$filter=${encodeURIComponent(FILTER)}`,
        },
      ];
    case 'expand':
      // Measured on the emulator alone (emulator-policies): json-server's _embed joins the whole collection.
      return [{ method: 'GET', path: `${collection}?$expand=${EXPAND}` }];
    case 'nomatch':
      return [{ method: 'GET', path: `${collection}?$filter=${encodeURIComponent(FILTER_NOTHING)}` }];
    case 'orderby':
      return [{ method: 'GET', path: `${collection}?$orderby=${encodeURIComponent(ORDER_BY)}` }];
    case 'delete':
      return deleteOldest(collection, ctx.size);
    case 'reset':
      // The configured fixtures, as a test suite's beforeEach asks for them.
      return [{ method: 'POST', path: '/_emulator/reset' }];
    case 'restore':
      return [{ method: 'POST', path: `/_emulator/snapshots/${BASELINE}/restore` }];
    case 'batch':
      return [{ method: 'POST', path: '/beta/$batch', body: batchOfGets(ctx.size) }];
  }
}

/** The get workload's reads, BATCH_SIZE of them in one $batch: urls relative to /beta, as Graph takes them. */
function batchOfGets(size: number): string {
  const requests = sampleIds(size, BATCH_SIZE).map((id, i) => ({ id: String(i + 1), method: 'GET', url: `${ITEM_BASE}/${id}` }));
  return JSON.stringify({ requests });
}

/** The id of a record just created, from the emulator's 201 answer. */
export function createdId(body: string): string | undefined {
  try {
    const id = (JSON.parse(body) as { id?: unknown }).id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Create a record, then delete the oldest, on every connection: the collection keeps its size while
 * the deletes go through it from the front (where removing a record from an array moves all the others).
 * Only the deletes are counted; the creates keep records coming. The ids are shared by the connections,
 * oldest first: the stored records' own, then those of the records created since.
 */
function deleteOldest(collection: string, size: number): BenchRequest[] {
  const ids = Array.from({ length: size }, (_, i) => benchId(i));
  let next = 0;
  return [
    {
      method: 'POST',
      path: collection,
      body: CREATE_BODY,
      uncounted: true,
      onResponse: (status, body) => {
        const id = status === 201 ? createdId(body) : undefined;
        if (id !== undefined) ids.push(id);
      },
    },
    {
      method: 'DELETE',
      path: `${collection}/${benchId(0)}`,
      setupRequest: (request) => (next < ids.length ? { ...request, path: `${collection}/${ids[next++]}` } : undefined),
    },
  ];
}
