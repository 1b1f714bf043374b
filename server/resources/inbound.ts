// Turning validated request bodies into stored records, driven by the resource schema: which properties a
// client may set, their defaults, and what the server owns (id, timestamps, createdBy/modifiedBy); a
// resource's own shaping (definition.ts, InboundShaping) runs after.
import { randomUUID } from 'node:crypto';
import { graphNow, toGraphDateTime } from '../graphTime.js';
import type { InboundShaping } from './definition.js';
import type { ResourceValidator } from './validation.js';

export interface WriteContext {
  /** UPN of the caller, from the bearer token when it carries one. */
  caller: string | null;
  now?: string;
}

/** A new record: every structural property present, client values where the schema lets a client set them. */
export function newRecord<T>(validator: ResourceValidator, body: Record<string, unknown>, ctx: WriteContext, shaping?: InboundShaping): T {
  const now = ctx.now ?? graphNow();
  const record: Record<string, unknown> = {};
  for (const name of validator.propertyNames) {
    const property = validator.schema.properties[name]!;
    const settable = !property.readOnly || property['x-settableOnCreate'] === true;
    const sent = settable ? body[name] : undefined;
    record[name] = sent ?? property.default ?? null;
  }
  record['id'] = randomUUID();
  record['createdBy'] = ctx.caller;
  record['modifiedBy'] = ctx.caller;
  record['createdDateTime'] = typeof body['createdDateTime'] === 'string' ? toGraphDateTime(body['createdDateTime']) : now;
  record['modifiedDateTime'] = typeof body['modifiedDateTime'] === 'string' ? toGraphDateTime(body['modifiedDateTime']) : now;
  shaping?.created?.(record, body);
  return record as T;
}

/** An updated copy: client-settable properties from the body, read-only ones ignored as Graph ignores them. */
export function patchedRecord<T extends object>(
  validator: ResourceValidator,
  existing: T,
  body: Record<string, unknown>,
  ctx: WriteContext,
  shaping?: InboundShaping,
): T {
  const record: Record<string, unknown> = { ...(existing as Record<string, unknown>) };
  for (const name of validator.propertyNames) {
    const property = validator.schema.properties[name]!;
    if (property.readOnly || !(name in body)) continue;
    record[name] = body[name] ?? property.default ?? null;
  }
  shaping?.updated?.(record, body);
  record['modifiedBy'] = ctx.caller ?? record['modifiedBy'] ?? null;
  record['modifiedDateTime'] = ctx.now ?? graphNow();
  return record as T;
}

/** A PATCH body without the read-only properties, which Graph ignores rather than validates. */
export function withoutReadOnly(validator: ResourceValidator, body: unknown): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  return Object.fromEntries(Object.entries(body).filter(([name]) => validator.schema.properties[name]?.readOnly !== true));
}
