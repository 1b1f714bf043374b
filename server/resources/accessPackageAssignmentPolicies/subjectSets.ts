// Who a setting names, in each version's shape: a beta userSet (`singleUser` with `id`, `isBackup`) and a v1.0
// subjectSet (`singleUser` with `userId`, backups listed apart): the same derived types, the id named after what it
// holds. https://learn.microsoft.com/graph/api/resources/userset?view=graph-rest-beta,
// https://learn.microsoft.com/graph/api/resources/subjectset?view=graph-rest-1.0
import type { Row } from '../definition.js';

/**
 * The objects of a stored list: a data file edited by hand may hold null (or another value) in a list of settings,
 * which beta shows as stored; the v1.0 views, which read each element, skip them rather than fail the read (chosen:
 * not documented).
 */
export function rows(value: unknown): Row[] {
  return Array.isArray(value) ? (value.filter((item) => typeof item === 'object' && item !== null && !Array.isArray(item)) as Row[]) : [];
}

/** beta userSet ⇄ v1.0 subjectSet: the id property is named after what it holds. */
const ID_NAMES: Record<string, string> = { singleUser: 'userId', groupMembers: 'groupId', connectedOrganizationMembers: 'connectedOrganizationId' };

function typeName(set: Row): string {
  return String(set['@odata.type'] ?? '').replace(/^#?microsoft\.graph\./, '');
}

/** What both shapes have under the same name: a description, and a requestorManager's managerLevel. */
function shared(set: Row): Row {
  return {
    ...(set['description'] !== undefined ? { description: set['description'] } : {}),
    ...(set['managerLevel'] !== undefined ? { managerLevel: set['managerLevel'] } : {}),
  };
}

export function toSubjectSet(set: Row): Row {
  const type = typeName(set);
  const idName = ID_NAMES[type];
  return {
    '@odata.type': `#microsoft.graph.${type}`,
    ...(idName ? { [idName]: set['id'] ?? null } : {}),
    ...shared(set),
  };
}

/**
 * The userSet types of beta's model (fixtures/csdl/beta.xml): v1.0's subjectSet has these and more that beta cannot
 * express (attributeRuleMembers, singleServicePrincipal, targetManager, targetApplicationOwners, and
 * identityGovernance.groupBasedSubjectSet and identityGovernance.ruleBasedSubjectSet, of their own namespace). Chosen: beta shows no set of those, rather than one its own schema refuses on a PUT back.
 */
const BETA_TYPES = new Set([
  'singleUser',
  'groupMembers',
  'connectedOrganizationMembers',
  'requestorManager',
  'internalSponsors',
  'externalSponsors',
  'targetUserSponsors',
  'targetAgentIdentitySponsorsOrOwners',
]);

/** v1.0's subject sets as beta's userSets: those beta's model has, each with its identifier. */
export function toUserSets(sets: readonly Row[], isBackup = false): Row[] {
  return sets
    .filter((set) => BETA_TYPES.has(typeName(set)))
    .map((set) => {
      const type = typeName(set);
      const idName = ID_NAMES[type];
      return { '@odata.type': `#microsoft.graph.${type}`, isBackup, ...(idName ? { id: set[idName] ?? null } : {}), ...shared(set) };
    });
}
