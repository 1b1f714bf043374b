// The paths of the fault model-based test's rules and journal filters, as docs/faults.md (`path`) says rules read
// them: a glob, or a path whose key may be written in any of OData's forms; and a rule's path naming a package the
// model knows, made concrete when the rule is sent.
import { DEFAULT_TENANT_ID, type FaultModel, PACKAGES_PATH, type Rule, tenantKey } from './faultModel.js';

/** A rule's path pattern as the model reads it: exact (any case) or `/beta/**\/accessPackages/*`. */
export function pathMatches(pattern: string | undefined, path: string): boolean {
  if (pattern === undefined) return true;
  if (pattern.includes('*')) return /^\/beta(\/[^/]+)*\/accesspackages\/[^/]+$/i.test(path);
  return keySegment(pattern).toLowerCase() === path.toLowerCase();
}

/** A package's key in parentheses, `('{id}')` or `({id})`, read as a segment, as the routes and rules read it. */
export const keySegment = (path: string) => path.replace(/accessPackages\('?([0-9a-f-]+)'?\)$/i, 'accessPackages/$1');

/** A rule's path that names a package the model knows, `PACKAGE:<n>:<form>`, made concrete: the key in that form. */
export function concrete(m: FaultModel, rule: Rule, scope: string | undefined): Rule {
  const named = rule.path?.match(/^PACKAGE:(\d+):(\d)$/);
  if (!named) return rule;
  const known = m.packages.get(tenantKey(rule.tenant ?? scope ?? DEFAULT_TENANT_ID)) ?? [];
  const id = known[Number(named[1]) % known.length]!;
  return { ...rule, path: [`${PACKAGES_PATH}/${id}`, `${PACKAGES_PATH}('${id}')`, `${PACKAGES_PATH}(${id})`][Number(named[2])]! };
}
