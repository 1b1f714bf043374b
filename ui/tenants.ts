// The tenant in view. With the tenants API (GET /_emulator/tenants) the picker lists every tenant the emulator
// holds, admin calls name the chosen one with ?tenant=, and Graph tokens carry its id as `tid`. Without it there
// is one tenant, the default, and calls name none. The choice is kept in the page's URL (?tenant=), so a reload
// or a shared link opens the same tenant.
import { adminJson, isUnavailable, type Query } from './http.js';

export interface Tenant {
  id: string;
  isDefault: boolean;
  /** Records per collection, when the tenants API tells them. */
  records?: Record<string, number>;
}

const DEFAULT: Tenant = { id: 'default', isDefault: true };

type Listener = () => void;

class Tenants {
  /** Whether GET /_emulator/tenants answered. */
  available = false;
  list: Tenant[] = [DEFAULT];
  current: Tenant = DEFAULT;
  private readonly listeners = new Set<Listener>();

  async load(): Promise<void> {
    const wanted = new URLSearchParams(location.search).get('tenant') ?? this.current.id;
    try {
      const answer = await adminJson<{ value: Tenant[] }>('GET', '/_emulator/tenants');
      this.available = true;
      this.list = answer.value.length > 0 ? answer.value : [DEFAULT];
    } catch (err) {
      if (!isUnavailable(err)) {
        // Not answered now (the token dialog cancelled, the emulator out of reach): the tenant the URL names stays
        // the one in view, and its calls name it, rather than the default tenant's standing in for it.
        if (wanted !== DEFAULT.id) {
          this.available = true;
          this.current = { id: wanted, isDefault: false };
          this.list = [DEFAULT, this.current];
        }
        throw err;
      }
      this.available = false;
      this.list = [DEFAULT];
    }
    const found = this.list.find((t) => t.id === wanted);
    // A tenant named in the URL that holds nothing yet is still one to look at: its first write creates it.
    this.current = found ?? (this.available && wanted !== 'default' ? { id: wanted, isDefault: false } : this.defaultTenant());
    if (found === undefined && this.current !== this.defaultTenant()) this.list = [...this.list, this.current];
  }

  defaultTenant(): Tenant {
    return this.list.find((t) => t.isDefault) ?? this.list[0] ?? DEFAULT;
  }

  choose(id: string): void {
    const tenant = this.list.find((t) => t.id === id) ?? { id, isDefault: false };
    if (!this.list.includes(tenant)) this.list = [...this.list, tenant];
    this.current = tenant;
    const url = new URL(location.href);
    if (tenant.isDefault) url.searchParams.delete('tenant');
    else url.searchParams.set('tenant', tenant.id);
    history.replaceState(history.state, '', url);
    for (const listener of this.listeners) listener();
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The query that names the tenant on admin calls (none without the tenants API). */
  query(): Query {
    return this.available ? { tenant: this.current.id } : {};
  }

  /** The `tid` a Graph token for the tenant carries: null lets the token endpoint choose its default. */
  tid(): string | null {
    return this.available ? this.current.id : null;
  }

  /** Records per collection of the tenant in view. */
  async counts(): Promise<Record<string, number>> {
    if (this.available) {
      const answer = await adminJson<{ value: Tenant[] }>('GET', '/_emulator/tenants');
      this.list = answer.value.length > 0 ? answer.value : [DEFAULT];
      const fresh = this.list.find((t) => t.id === this.current.id);
      if (fresh !== undefined) this.current = fresh;
      return fresh?.records ?? {};
    }
    // Health counts the store, which is the default tenant's when there are no others.
    return (await adminJson<{ records: Record<string, number> }>('GET', '/_emulator/health')).records;
  }
}

export const tenants = new Tenants();
