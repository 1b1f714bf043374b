// The schemas' `x-fake` vocabulary as json-schema-faker extensions, so that jsf produces every generated value.
// For each record jsf calls `x-plan` once, which draws the record's plan and proceeds to its properties, then
// `x-fake` once per property, which calls that hint's faker (fakers.ts) with the plan. Both draw from jsf's
// seeded random (ctx.random), so a seed reproduces the tenant.
//
// jsf's extensions are process-wide and keyed by keyword, and a keyword's value is all the callback gets to
// know the generation it serves. So the values are objects of this module, bound to one collection of one
// generation; any other `x-plan` or `x-fake` value is left to jsf as if these extensions were not there.
import { define, type JsonSchema, type Random } from 'json-schema-faker';
import { loadSchema, type ResourceName } from '../resources/validation.js';
import { FAKERS, type Faker, type Planner, type RecordPlan, type Tenant } from './fakers.js';

/** Formats json-schema-faker generates as Graph writes them (a lowercase v4 GUID): no hint needed. */
const JSF_FORMATS = new Set(['uuid']);

/** One collection of one generated tenant: the records' schema for jsf, and the plan of the record being generated. */
export class RecordCollection {
  readonly schema: JsonSchema;
  private current: RecordPlan | undefined;
  private drawn = 0;

  constructor(
    resource: ResourceName,
    readonly tenant: Tenant,
    private readonly planner: Planner,
  ) {
    this.schema = recordSchema(resource, this);
  }

  /** What jsf generates for each record: `x-plan` first, then the record's properties. */
  get item(): JsonSchema {
    return { 'x-plan': this };
  }

  drawPlan(random: Random): void {
    this.current = this.planner(random, this.drawn, this.tenant);
    this.drawn += 1;
  }

  get plan(): RecordPlan {
    if (this.current === undefined) throw new Error('x-fake was called before x-plan drew the record plan.');
    return this.current;
  }
}

/** An `x-fake` hint bound to the collection whose plans it reads. */
class BoundHint {
  constructor(
    readonly fake: Faker,
    readonly records: RecordCollection,
  ) {}
}

/**
 * The resource's stored (non-navigation) properties, in schema order, all required and nothing else: each one
 * its bound hint, or the format jsf generates. An unknown hint or a property jsf cannot fill is a schema error.
 */
function recordSchema(resource: ResourceName, records: RecordCollection): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const [name, property] of Object.entries(loadSchema(resource).properties)) {
    if (property['x-navigation'] !== undefined || property['x-ignored'] !== undefined) continue;
    const hint = property['x-fake'];
    if (hint !== undefined) {
      const fake = Object.hasOwn(FAKERS, hint) ? FAKERS[hint] : undefined;
      if (fake === undefined) throw new Error(`${resource}.schema.json: unknown x-fake '${hint}' on '${name}'.`);
      properties[name] = { 'x-fake': new BoundHint(fake, records) };
    } else if (property.type === 'string' && JSF_FORMATS.has(property.format ?? '')) {
      properties[name] = { type: 'string', format: property.format! };
    } else {
      throw new Error(`${resource}.schema.json: '${name}' needs an x-fake hint to be generated.`);
    }
  }
  return { type: 'object', properties, required: Object.keys(properties), additionalProperties: false };
}

// Returning undefined hands the schema back to jsf. `proceed` walks the record's properties in the same context.
define('plan', (records, _schema, ctx) => {
  if (!(records instanceof RecordCollection) || ctx.proceed === undefined) return undefined;
  records.drawPlan(ctx.random);
  return ctx.proceed(records.schema);
});

define('fake', (hint, _schema, ctx) => {
  if (!(hint instanceof BoundHint)) return undefined;
  return hint.fake(hint.records.plan, ctx.random, hint.records.tenant);
});
