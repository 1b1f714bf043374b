// The tenants workload (docs/identity.md#tenants): the largest size's records spread over 100 tenants of one
// emulator (the default tenant and 99 others) against the same records in one tenant (start-up) and against bare
// Express (create and get, each request in the next tenant: workloads.ts), and the first request of tenants the
// emulator has not seen, which adds each with the fixture set.
import { writeFile } from 'node:fs/promises';
import { serializeDataset } from '../server/store/dataFileFormat.js';
import { datasetOf } from '../server/store/records.js';
import { benchRecords } from './dataset.js';
import { percentile } from './load.js';
import { ACCESS_PACKAGES_PATH, BENCH_TENANTS, perTenant, requestHeaders, tidOf } from './workloads.js';

interface TenantFiles {
  /** The records in the default tenant alone. */
  oneTenant: string;
  /** The same records, a hundredth in each tenant. */
  tenants: string;
}

export interface NewTenantTimes {
  /** The first new tenant of the process: the fixture set is generated then, once. */
  firstMs: number;
  p50Ms: number;
  p99Ms: number;
  count: number;
}

/** Both data files, `total` records each (rounded down to a multiple of the tenant count). */
export async function writeTenantFiles(total: number, files: TenantFiles): Promise<void> {
  const per = perTenant(total);
  const records = benchRecords(per * BENCH_TENANTS);
  const slice = (tenant: number) => records.slice(tenant * per, (tenant + 1) * per);
  await writeFile(files.oneTenant, serializeDataset(datasetOf({ accessPackages: records })));
  const others = Array.from({ length: BENCH_TENANTS - 1 }, (_, i) => [tidOf(i + 1)!, datasetOf({ accessPackages: slice(i + 1) })]);
  await writeFile(files.tenants, serializeDataset({ ...datasetOf({ accessPackages: slice(0) }), tenants: Object.fromEntries(others) }));
}

/** One client sends the first request of `count` tenants in turn (after one more that warms the fixture set up): the first page of their packages. */
export async function timeNewTenants(url: string, count: number): Promise<NewTenantTimes> {
  const first = async (tid: string): Promise<number> => {
    const started = performance.now();
    const res = await fetch(`${url}${ACCESS_PACKAGES_PATH}`, { headers: requestHeaders(tid) });
    const body = (await res.json()) as { value?: unknown[] };
    const ms = performance.now() - started;
    if (res.status !== 200 || !Array.isArray(body.value) || body.value.length === 0)
      throw new Error(`the first request of tenant ${tid} answered ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
    return ms;
  };
  const firstMs = await first('new-warm-up');
  const times: number[] = [];
  for (let i = 0; i < count; i += 1) times.push(await first(`new-${i}`));
  times.sort((a, b) => a - b);
  return { firstMs, p50Ms: percentile(times, 0.5), p99Ms: percentile(times, 0.99), count: times.length };
}
