// Tenants: every `tid` a token names has its own data (docs/identity.md#tenants). A tenant id is the token's
// `tid` claim as Entra ID issues it, a GUID, or a name a test suite picks (`worker-3`): letters, digits, dots,
// dashes and underscores, matched case-insensitively as Entra ID matches tenant ids and domains. The same
// characters are safe in a URL (`?tenant=`), a JSON key of the data file and a log line.
// https://learn.microsoft.com/entra/identity-platform/access-token-claims-reference (tid)

/** The tenant of tokens without a `tid` (and of tokens that are not JWTs), and of minted tokens by default. */
export const DEFAULT_TENANT_ID = '4d2f9a6c-1b3e-4f70-8a5d-6c9e2b1f0a37';

/** Longest tenant id: a GUID is 36 characters, a domain name at most 253; 128 leaves room for names. */
export const MAX_TENANT_ID_LENGTH = 128;

/** Tenants an emulator holds at most, the default one included (MAX_TENANTS). */
export const DEFAULT_MAX_TENANTS = 1000;
/** The largest MAX_TENANTS accepted: every tenant holds its own indexes in memory, even over shared records. */
export const MAX_TENANTS_LIMIT = 100_000;

const TENANT_ID = /^[A-Za-z0-9._-]+$/;

/** The tenant a `tid` names, lower-cased; undefined when it is not a usable tenant id. */
export function tenantKey(tid: string): string | undefined {
  return tid.length <= MAX_TENANT_ID_LENGTH && TENANT_ID.test(tid) ? tid.toLowerCase() : undefined;
}

/**
 * The tenant a token's `tid` claim puts a request in: that tenant, lower-cased; the default tenant without one, and
 * for one that is no tenant id (refused by auth, but for AUTH=none, whose request then uses the default tenant).
 */
export function tenantOfTid(tid: string | null): string {
  return (tid === null ? undefined : tenantKey(tid)) ?? DEFAULT_TENANT_ID;
}

/** What a tenant id may be, for messages that refuse one. */
export const TENANT_ID_RULE = `1 to ${MAX_TENANT_ID_LENGTH} letters, digits, '.', '-' or '_'`;

/**
 * Whether `id` names another tenant than the default one as the data file and the journal store it: lower case,
 * since tenant ids are matched case-insensitively; the default tenant is the top level of the data file, and a
 * journal entry without `t`.
 */
export function isStoredTenantId(id: unknown): id is string {
  return typeof id === 'string' && tenantKey(id) === id && id !== DEFAULT_TENANT_ID;
}

/** What isStoredTenantId accepts, for messages that refuse a file. */
export const STORED_TENANT_ID_RULE = `${TENANT_ID_RULE}, in lower case, not the default tenant's`;

/**
 * The 404 of an admin request naming a tenant that does not exist, or that was dropped while the request ran: the
 * same words either way, as the request then reads as one sent after the drop.
 */
export function noTenantMessage(id: string): string {
  return `There is no tenant '${id}': a tenant is added by its first Graph request, or by POST /_emulator/reset?tenant=${id}.`;
}
