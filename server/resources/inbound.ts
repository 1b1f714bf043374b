// Turning validated request bodies into stored records, driven by the resource schema: which properties a
// client may set, their defaults, and what the server owns (id, timestamps, createdBy/modifiedBy); a
// resource's own rules (definition.ts, ResourceRules) run after.
import { randomUUID } from 'node:crypto';
import { graphNow, graphNowAfter, toGraphDateTime } from '../graphTime.js';
import type { PropertySchema, ResourceValidator } from './validation.js';

/** What a write needs to know of one stored property, read off its schema once per resource. */
interface StoredProperty {
  readonly name: string;
  readonly readOnly: boolean;
  /** Not read-only, or read-only but settable on create. */
  readonly settableOnCreate: boolean;
  /** An Edm.DateTimeOffset: stored as Graph answers it (UTC, 7 fractional digits, graphTime.ts). */
  readonly dateTime: boolean;
  readonly fallback: unknown;
}

// Per validator: the schema's property objects differ in shape, and reading their fields on every write costs
// a create more than the rest of this module.
const plans = new WeakMap<ResourceValidator, readonly StoredProperty[]>();

function storedProperties(validator: ResourceValidator): readonly StoredProperty[] {
  let plan = plans.get(validator);
  if (plan === undefined) {
    plan = validator.propertyNames.map((name) => {
      const property: PropertySchema = validator.schema.properties[name]!;
      const readOnly = property.readOnly === true;
      return {
        name,
        readOnly,
        settableOnCreate: !readOnly || property['x-settableOnCreate'] === true,
        dateTime: property.format === 'date-time',
        fallback: property.default,
      };
    });
    plans.set(validator, plan);
  }
  return plan;
}

/** A sent value as stored: a DateTimeOffset normalised, anything else as sent. */
function stored(property: StoredProperty, value: unknown): unknown {
  return property.dateTime && typeof value === 'string' ? toGraphDateTime(value) : value;
}

/** A property's default, a copy of it when it is an object (a policy's settings), so no two records share one. */
function defaultOf(value: unknown): unknown {
  return typeof value === 'object' && value !== null ? structuredClone(value) : (value ?? null);
}

interface WriteContext {
  /** UPN of the caller, from the bearer token when it carries one. */
  caller: string | null;
  now?: string;
}

/** A new record: every structural property present, client values where the schema lets a client set them. */
export function newRecord<T>(validator: ResourceValidator, body: Readonly<Record<string, unknown>>, ctx: WriteContext): T {
  const now = ctx.now ?? graphNow();
  const record: Record<string, unknown> = {};
  for (const property of storedProperties(validator)) {
    const sent = property.settableOnCreate ? stored(property, body[property.name]) : undefined;
    record[property.name] = sent ?? defaultOf(property.fallback);
  }
  const owned = (name: string, value: unknown) => {
    if (name in record) record[name] = value;
  };
  const settable = (name: string) => validator.schema.properties[name]?.['x-settableOnCreate'] === true;
  record['id'] = randomUUID();
  owned('createdBy', ctx.caller);
  owned('modifiedBy', ctx.caller);
  const sent = (name: string) => (settable(name) && typeof body[name] === 'string' ? toGraphDateTime(body[name]) : undefined);
  const created = sent('createdDateTime');
  owned('createdDateTime', created ?? now);
  // A createdDateTime sent in the future leaves no modifiedDateTime before it: one tick after it, as an update does.
  owned('modifiedDateTime', sent('modifiedDateTime') ?? (created === undefined || ctx.now !== undefined ? now : graphNowAfter([created])));
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
  for (const property of storedProperties(validator)) {
    const { name } = property;
    if (property.readOnly || (!replace && !(name in body))) continue;
    // A PUT keeps an explicit null (the policy update page's example 2 answers "requestApprovalSettings": null).
    const sent = stored(property, body[name]);
    record[name] = replace && name in body ? (sent ?? null) : (sent ?? defaultOf(property.fallback));
  }
  if ('modifiedBy' in record) record['modifiedBy'] = ctx.caller ?? record['modifiedBy'] ?? null;
  if ('modifiedDateTime' in record) record['modifiedDateTime'] = ctx.now ?? graphNowAfter([record['modifiedDateTime'], record['createdDateTime']]);
  return record as T;
}

/** The read-only properties a write ignores: on an update, and on a create (where some are settable). */
interface IgnoredNames {
  readonly update: ReadonlySet<string>;
  readonly create: ReadonlySet<string>;
}

const ignoredNames = new WeakMap<ResourceValidator, IgnoredNames>();

function ignoredBy(validator: ResourceValidator): IgnoredNames {
  let names = ignoredNames.get(validator);
  if (names === undefined) {
    // The emulator's own links (x-internal) are no properties of the type: never ignored, for the check to refuse.
    const readOnly = Object.entries(validator.schema.properties).filter(([, p]) => p.readOnly === true && p['x-internal'] !== true);
    names = {
      update: new Set(readOnly.map(([name]) => name)),
      create: new Set(readOnly.filter(([, p]) => p['x-settableOnCreate'] !== true).map(([name]) => name)),
    };
    ignoredNames.set(validator, names);
  }
  return names;
}

/**
 * A body without the read-only properties (on a create, but those settable on create), which Graph ignores once its
 * OData reader has read them: each is read as its declared type first, so a value of the wrong type
 * (`"createdDateTime": "garbage"`, `"createdBy": 5`) is the same 400 as for any property, while its value itself is
 * never a reason for one. An `id` that is a string is an Edm.String to the reader, whatever it holds (no GUID check).
 */
export function withoutReadOnly(validator: ResourceValidator, body: unknown, onCreate = false): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const ignored = onCreate ? ignoredBy(validator).create : ignoredBy(validator).update;
  // Most bodies name none: they are checked as sent, with no copy.
  let any = false;
  for (const name in body) any ||= ignored.has(name);
  if (!any) return body;
  const entries = Object.entries(body);
  const read = entries.filter(([name, value]) => ignored.has(name) && !(name === 'id' && typeof value === 'string'));
  if (read.length > 0) validator.check(Object.fromEntries(read));
  return Object.fromEntries(entries.filter(([name]) => !ignored.has(name)));
}
