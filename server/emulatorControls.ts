// What a test suite does to the emulator it started, on the library handle: read and clear the request journal,
// reset the data, set and clear fault rules, each for the whole emulator or for one tenant (`tenant(tid)`). Every
// call is a call to the admin API (/_emulator/*), answered in this process without a socket: the handle does
// exactly what the HTTP API does, its checks and errors included, and needs no URL, port or certificate.
import { Socket } from 'node:net';
import type { Express } from 'express';
import { ConfigError, FaultRuleError } from './errors.js';
import { parseFaultRule, type FaultRule } from './faults/ruleSchema.js';
import { shownValue } from './objectOptions.js';
import type { JournalEntry } from './http/journalEntry.js';
import { handleWhole, syntheticExchange } from './http/syntheticExchange.js';
import { ADMIN_PATH } from './adminPath.js';
import { TENANT_ID_RULE, tenantKey } from './tenantIds.js';

/** The filters of GET /_emulator/requests; each is optional and they combine with "and". */
export interface RequestFilter {
  /** `GET`, `POST`, … */
  method?: string | undefined;
  /** A path, or a glob in the fault rules' syntax: `/beta/**\/accessPackages/*`. */
  path?: string | undefined;
  /** A status such as 201, or a class such as `4xx`. */
  status?: number | string | undefined;
  tenant?: string | undefined;
  /** Only entries after this entry id. */
  since?: string | undefined;
  /** At most this many entries (1 to 1,000; default 1,000). */
  limit?: number | undefined;
}

export interface EmulatorControls {
  /** The requests the emulator answered, oldest first, as GET /_emulator/requests lists them. */
  requests(filter?: RequestFilter): Promise<JournalEntry[]>;
  /** Forgets the journal's entries (on a tenant's handle, that tenant's). */
  clearRequests(): Promise<void>;
  /** Puts the data back to the configured fixtures, as POST /_emulator/reset without a body (on a tenant's handle, that tenant's data, the tenant added if it does not exist). */
  reset(): Promise<void>;
  readonly faults: {
    /** Replaces the fault rules (the throttling profile stays); on a tenant's handle, that tenant's rules only, a rule naming another tenant refused. */
    set(rules: readonly FaultRule[]): Promise<void>;
    /** Removes the fault rules and the throttling profile; on a tenant's handle, that tenant's rules, and the profile if it is that tenant's. */
    clear(): Promise<void>;
  };
}

export interface TenantControls extends EmulatorControls {
  readonly tenant: string;
}

type Call = (method: string, path: string, query?: Record<string, string>, body?: unknown) => Promise<unknown>;

function adminCall(app: Express, adminToken: string | undefined): Call {
  return async (method, path, query = {}, body) => {
    const search = new URLSearchParams(query).toString();
    const headers: Record<string, string> = { host: 'localhost' };
    if (adminToken !== undefined) headers['authorization'] = `Bearer ${adminToken}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const exchange = syntheticExchange(app, new Socket(), { method, url: `${ADMIN_PATH}${path}${search ? `?${search}` : ''}`, headers, body: payload });
    handleWhole(app, exchange);
    const answer = await exchange.answered;
    // A Buffer's text is its UTF-8; a string's is itself.
    const text = answer.body.toString();
    const parsed: unknown = text === '' ? undefined : JSON.parse(text);
    if (answer.status >= 400) {
      const message = (parsed as { error?: { message?: string } } | undefined)?.error?.message ?? text;
      throw new Error(`${method} ${ADMIN_PATH}${path} answered ${answer.status}: ${message}`);
    }
    return parsed;
  };
}

/** What each filter of requests() takes; a value given as undefined is no filter. */
const FILTER_TYPES: Record<keyof RequestFilter, string> = {
  method: 'a string',
  path: 'a string',
  status: 'a number or a string',
  tenant: 'a string',
  since: 'a string',
  limit: 'a number or a string',
};

/** A ConfigError naming the argument, as the handle's other methods throw, not a TypeError or a query's 400. */
function checkFilter(filter: unknown): asserts filter is RequestFilter {
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter))
    throw new ConfigError(`requests(filter) takes an object of filters or nothing; got ${shownValue(filter)}.`);
  for (const [name, value] of Object.entries(filter)) {
    const wanted = FILTER_TYPES[name as keyof RequestFilter] as string | undefined;
    if (wanted === undefined) throw new ConfigError(`requests(filter) has no filter '${name}'; the filters are ${Object.keys(FILTER_TYPES).join(', ')}.`);
    const fits = value === undefined || typeof value === 'string' || (typeof value === 'number' && wanted.includes('number'));
    if (!fits) throw new ConfigError(`requests(filter): ${name} must be ${wanted}; got ${shownValue(value)}.`);
  }
}

function controls(call: Call, tenant: string | undefined): EmulatorControls {
  // A scoped handle sends ?tenant= with every call, as a test worker would over HTTP: the admin API then reads,
  // clears, resets and replaces that tenant's part only, and leaves the other tenants' rules and their counters alone.
  const scope: Record<string, string> = tenant === undefined ? {} : { tenant };
  return {
    async requests(filter = {}) {
      checkFilter(filter);
      // A scoped handle reads its own tenant: a filter naming another would select nothing of it, so it is refused
      // (as a fault rule naming another tenant is) rather than answered with this tenant's entries.
      if (tenant !== undefined && filter.tenant !== undefined && tenantKey(filter.tenant) !== tenantKey(tenant)) {
        throw new ConfigError(
          `requests(filter) on the handle of tenant '${tenant}' reads that tenant's requests only; got tenant '${filter.tenant}'. Use tenant('${filter.tenant}').requests() or the unscoped handle.`,
        );
      }
      // A filter left undefined is no filter (a poller's first `since`), as the admin page leaves an empty one out.
      const query = Object.fromEntries(Object.entries(filter).flatMap(([name, value]) => (value === undefined ? [] : [[name, String(value)]])));
      const { value } = (await call('GET', '/requests', { ...query, ...scope })) as { value: JournalEntry[] };
      return value;
    },
    async clearRequests() {
      await call('DELETE', '/requests', scope);
    },
    async reset() {
      await call('POST', '/reset', scope);
    },
    faults: {
      async set(rules) {
        // Checked here first, so a bad rule throws the FaultRuleError that names its field.
        if (!Array.isArray(rules)) throw new FaultRuleError(`faults.set takes a list of rules; got ${shownValue(rules)}.`);
        const checked = rules.map((rule, index) => parseFaultRule(rule, `rules[${index}]`));
        // A scoped handle replaces its own tenant's rules: a rule naming another tenant is refused here, as a
        // FaultRuleError naming the field, where the admin API's 400 would reach the caller as a plain Error.
        const foreign = tenant === undefined ? -1 : checked.findIndex((rule) => rule.tenant !== undefined && tenantKey(rule.tenant) !== tenantKey(tenant));
        if (foreign !== -1) {
          throw new FaultRuleError(
            `rules[${foreign}].tenant is '${checked[foreign]!.tenant}', not this handle's tenant ('${tenant}'). Use tenant('${checked[foreign]!.tenant}').faults.set() or the unscoped handle.`,
          );
        }
        await call('PUT', '/faults', scope, { rules: checked });
      },
      async clear() {
        await call('DELETE', '/faults', scope);
      },
    },
  };
}

/** The handle's controls for `app`, and the same scoped to one tenant. */
export function emulatorControls(app: Express, adminToken: string | undefined): EmulatorControls & { tenant(tid: string): TenantControls } {
  const call = adminCall(app, adminToken);
  return {
    ...controls(call, undefined),
    tenant: (tid) => {
      // String(undefined) would scope every call to a tenant named "undefined".
      if (typeof tid !== 'string') throw new ConfigError(`tenant(tid) takes a tenant id, a string; got ${shownValue(tid)}.`);
      // An id no token can carry names no tenant: refused here, as store.tenants refuses it, rather than by each
      // call in its route's words (an empty one read as an empty filter by requests()).
      if (tenantKey(tid) === undefined) throw new ConfigError(`tenant(tid) takes a tenant id, ${TENANT_ID_RULE}; got '${tid}'.`);
      return { ...controls(call, tid), tenant: tid };
    },
  };
}
