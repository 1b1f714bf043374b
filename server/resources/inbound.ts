// Turning validated request bodies into stored records, driven by the resource schema: which properties a
// client may set, their defaults, and what the server owns (id, timestamps, createdBy/modifiedBy); a
// resource's own rules (definition.ts, ResourceRules) run after.
import { randomUUID } from 'node:crypto';
import { graphNow, toGraphDateTime } from '../graphTime.js';
import type { PropertySchema, ResourceValidator } from './validation.js';

/** A DateTimeOffset as Graph answers it (UTC, 7 fractional digits, graphTime.ts); any other value as sent. */
function stored(property: PropertySchema, value: unknown): unknown {
  return property.format === 'date-time' && typeof value === 'string' ? toGraphDateTime(value) : value;
}

/** A property's default, a copy of it when it is an object (a policy's settings), so no two records share one. */
function defaultOf(value: unknown): unknown {
  return typeof value === 'object' && value !== null ? structuredClone(value) : (value ?? null);
}

export interface WriteContext {
  /** UPN of the caller, from the bearer token when it carries one. */
  caller: string | null;
  now?: string;
}

/** A new record: every structural property present, client values where the schema lets a client set them. */
export function newRecord<T>(validator: ResourceValidator, body: Readonly<Record<string, unknown>>, ctx: WriteContext): T {
  const now = ctx.now ?? graphNow();
  const record: Record<string, unknown> = {};
  for (const name of validator.propertyNames) {
    const property = validator.schema.properties[name]!;
    const settable = !property.readOnly || property['x-settableOnCreate'] === true;
    const sent = settable ? stored(property, body[name]) : undefined;
    record[name] = sent ?? defaultOf(property.default);
  }
  const owned = (name: string, value: unknown) => {
    if (name in record) record[name] = value;
  };
  const settable = (name: string) => validator.schema.properties[name]?.['x-settableOnCreate'] === true;
  record['id'] = randomUUID();
  owned('createdBy', ctx.caller);
  owned('modifiedBy', ctx.caller);
  owned('createdDateTime', settable('createdDateTime') && typeof body['createdDateTime'] === 'string' ? toGraphDateTime(body['createdDateTime']) : now);
  owned('modifiedDateTime', settable('modifiedDateTime') && typeof body['modifiedDateTime'] === 'string' ? toGraphDateTime(body['modifiedDateTime']) : now);
  return record as T;
}

/**
 * An updated copy: client-settable properties from the body, read-only ones ignored as Graph ignores them.
 * `replace` (PUT) resets the settable properties the body leaves out to their defaults.
 */
export function patchedRecord<T extends object>(
  validator: ResourceValidator,
  existing: T,
  body: Readonly<Record<string, unknown>>,
  ctx: WriteContext,
  replace = false,
): T {
  const record: Record<string, unknown> = { ...(existing as Record<string, unknown>) };
  for (const name of validator.propertyNames) {
    const property = validator.schema.properties[name]!;
    if (property.readOnly || (!replace && !(name in body))) continue;
    // A PUT keeps an explicit null (the policy update page's example 2 answers "requestApprovalSettings": null).
    const sent = stored(property, body[name]);
    record[name] = replace && name in body ? (sent ?? null) : (sent ?? defaultOf(property.default));
  }
  if ('modifiedBy' in record) record['modifiedBy'] = ctx.caller ?? record['modifiedBy'] ?? null;
  if ('modifiedDateTime' in record) record['modifiedDateTime'] = ctx.now ?? graphNow();
  return record as T;
}

/** A body without the read-only properties (on a create, but those settable on create), which Graph ignores rather than validates. */
export function withoutReadOnly(validator: ResourceValidator, body: unknown, onCreate = false): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  // The emulator's own links (x-internal) are no properties of the type: kept, for the check to refuse.
  const ignored = (name: string) => {
    const property = validator.schema.properties[name];
    return property?.readOnly === true && property['x-internal'] !== true && !(onCreate && property['x-settableOnCreate'] === true);
  };
  return Object.fromEntries(Object.entries(body).filter(([name]) => !ignored(name)));
}
