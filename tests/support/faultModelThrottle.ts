// The throttling profile as the fault model-based test's model (faultModel.ts) keeps it: a bucket per client within
// its tenant, refilled on the fault engine's clock, and the headers Graph sends with it (docs/faults.md, Throttling
// profile).
import { APP_ID, type Client, type FaultModel } from './faultModel.js';

export interface Bucket {
  tokens: number;
  updatedAt: number;
  blockedUntil: number;
}

/** The throttling profile's token, taken as throttle.ts takes it: the headers it adds, and a Retry-After when the client must wait. */
export function throttle(m: FaultModel, tenant: string, c: Client, token: string): { headers: Record<string, string>; retryAfter?: number } {
  const p = m.profile;
  if (p === undefined || (p.tenant !== undefined && p.tenant.toLowerCase() !== tenant)) return { headers: {} };
  const app = c.kind === 'app' ? APP_ID : c.kind === 'backend' || c.kind === 'reporting' ? c.kind : '00000000-0000-0000-0000-000000000000';
  // A client within its tenant and app: its token, or its client-request-id when the profile says so.
  const key = `${tenant}\u0000${app}\u0000${p.key === 'client-request-id' ? (c.crid ?? token) : token}`;
  let b = m.buckets.get(key);
  if (b === undefined) {
    b = { tokens: p.capacity, updatedAt: m.now, blockedUntil: 0 };
    m.buckets.set(key, b);
  } else {
    b.tokens = Math.min(p.capacity, b.tokens + ((m.now - b.updatedAt) / 1000) * p.refillPerSecond);
    b.updatedAt = m.now;
  }
  // `headers: false` sends none of Graph's throttle headers, a 429's Retry-After only.
  const send = p.headers !== false;
  const headers: Record<string, string> = send ? { 'x-ms-resource-unit': '1' } : {};
  const usage = (u: number): Record<string, string> => (send && u > 0.8 ? { 'x-ms-throttle-limit-percentage': u.toFixed(2) } : {});
  const scope = `Tenant_Application/ReadWrite/${app}/${c.tid}`;
  const refused = (retryAfter: number) => ({
    headers: { ...headers, ...usage(1), ...(send ? { 'x-ms-throttle-scope': scope, 'x-ms-throttle-information': 'ResourceUnitLimitExceeded' } : {}) },
    retryAfter,
  });
  if (m.now < b.blockedUntil) return refused(Math.ceil((b.blockedUntil - m.now) / 1000));
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return { headers: { ...headers, ...usage((p.capacity - b.tokens) / p.capacity) } };
  }
  const retryAfter = Math.min(86_400, Math.max(1, Math.ceil((1 - b.tokens) / p.refillPerSecond)));
  b.blockedUntil = m.now + retryAfter * 1000;
  return refused(retryAfter);
}
