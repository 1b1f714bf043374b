// When two settings of a policy mean the same: a client sends back what it read in its own words. Kiota's models
// always write an @odata.type, even the property's declared type, and leave out a value that is its default
// (isBackup false, a null description); Graph reads both as if they were not there. So a setting is compared by its
// meaning: @odata.type dropped where it names a declared type (a complex type of the policy's schemas, not one of
// the derived userSet or subjectSet types, which say who is meant), `null` as absent, a default (DEFAULTS) as absent, and
// both spellings of a type name (`#microsoft.graph.singleUser`, `microsoft.graph.singleUser`) as one. Chosen: not
// documented. https://learn.microsoft.com/graph/api/resources/userset?view=graph-rest-beta
import { isDeepStrictEqual } from 'node:util';
import type { Row } from '../definition.js';
import { validatorFor } from '../validation.js';

/** Values that mean what their absence means: a userSet is no backup unless it says so, and a stage's approver
 * information visibility is "default" ("use the default system setting") unless set.
 * https://learn.microsoft.com/graph/api/resources/accesspackageapprovalstage?view=graph-rest-1.0 */
const DEFAULTS: Readonly<Row> = { isBackup: false, approverInformationVisibility: 'default' };

let declared: ReadonlySet<string> | undefined;

/** The complex types the policy's properties are declared as, in beta and v1.0: the definitions of both schemas. */
function declaredTypes(): ReadonlySet<string> {
  declared ??= new Set(
    (['accessPackageAssignmentPolicy', 'v1.0/accessPackageAssignmentPolicy'] as const).flatMap((name) =>
      Object.keys(((validatorFor(name).schema as unknown as Row)['definitions'] as Row | undefined) ?? {}).map((type) => type.toLowerCase()),
    ),
  );
  return declared;
}

/** A setting's meaning: what a comparison of two of them looks at. */
function meaning(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(meaning);
  if (typeof value !== 'object' || value === null) return value;
  const kept: [string, unknown][] = [];
  for (const [name, item] of Object.entries(value as Row)) {
    if (item === null || item === undefined || DEFAULTS[name] === item) continue;
    if (name === '@odata.type' && typeof item === 'string') {
      const type = item.replace(/^#?microsoft\.graph\./i, '');
      if (!declaredTypes().has(type.toLowerCase())) kept.push([name, `#microsoft.graph.${type}`]);
      continue;
    }
    kept.push([name, meaning(item)]);
  }
  return Object.fromEntries(kept.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Whether two settings mean the same (see above). */
export function sameMeaning(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(meaning(a), meaning(b));
}
