// What each origin system's resources are in entitlement management: the resource type Graph names and the roles
// a catalog gets with a resource of it (a group's Member and Owner, an application's roles, a site's permission
// levels). The generated tenants and the resource requests that add a resource build them alike.
// https://learn.microsoft.com/graph/api/accesspackagecatalog-list-accesspackageresourceroles?view=graph-rest-beta
import { createHash } from 'node:crypto';

export type ResourceKind = 'group' | 'application' | 'site';

interface ResourceKindFacts {
  originSystem: string;
  resourceType: string;
  /** Roles as Graph lists them: a group's Member and Owner (origin `Member_{groupId}`), an app's roles, a site's permission levels (origin: their sequence number). */
  roles: readonly { displayName: string; description: string | null; originId: (originId: string, index: number) => string }[];
}

export const RESOURCE_KINDS: Readonly<Record<ResourceKind, ResourceKindFacts>> = {
  group: {
    originSystem: 'AadGroup',
    resourceType: 'Security Group',
    roles: [
      { displayName: 'Member', description: null, originId: (group) => `Member_${group}` },
      { displayName: 'Owner', description: null, originId: (group) => `Owner_${group}` },
    ],
  },
  application: {
    originSystem: 'AadApplication',
    resourceType: 'Application',
    roles: [
      { displayName: 'Default Access', description: 'Default access to the application.', originId: () => '00000000-0000-0000-0000-000000000000' },
      {
        displayName: 'User',
        description: 'Standard user of the application.',
        // The app's id with its last group replaced: still a GUID (12 hex digits), as app roles' ids are.
        originId: (app, i) => `${app.slice(0, 24)}${String(1_000_000_000_000 + i).slice(1)}`,
      },
    ],
  },
  site: {
    originSystem: 'SharePointOnline',
    resourceType: 'SharePoint Online Site',
    roles: [
      { displayName: 'Contributors', description: null, originId: () => '4' },
      { displayName: 'Creators', description: null, originId: () => '3' },
      { displayName: 'Viewers', description: null, originId: () => '5' },
    ],
  },
};

/** The teams a group added without a name is named after, one per originId (the generated tenants' departments' kind). */
const GROUP_TEAMS = ['Finance', 'Sales', 'Marketing', 'Engineering', 'Legal', 'Operations', 'Support', 'Research', 'Facilities', 'Security'] as const;

/**
 * A resource's name and description when its request sends none: the emulator keeps no directory to read the group,
 * application or site from, so a name is made from the originId, the same for the same originId.
 */
export function namedResource(kind: ResourceKind, originId: string): { displayName: string; description: string | null } {
  if (kind === 'site') return { displayName: lastSegment(originId) || originId, description: originId };
  const hash = createHash('sha1').update(originId.toLowerCase()).digest();
  const team = GROUP_TEAMS[hash[0]! % GROUP_TEAMS.length]!;
  if (kind === 'application') return { displayName: `${team} app ${originId.slice(0, 8)}`, description: `Application of the ${team} team.` };
  return { displayName: `${team} team ${originId.slice(0, 8)}`, description: `Security group of the ${team} team.` };
}

/** A site's address's last segment, its trailing slashes dropped (walked, not matched: a pattern scans a run of them again from each). */
function lastSegment(url: string): string {
  let end = url.length;
  while (end > 0 && url.charCodeAt(end - 1) === 0x2f) end--;
  return url.slice(url.lastIndexOf('/', end - 1) + 1, end);
}

/** The kind of resource an originSystem names, or undefined for one entitlement management does not have. */
export function kindOfSystem(originSystem: unknown): ResourceKind | undefined {
  return (Object.keys(RESOURCE_KINDS) as ResourceKind[]).find((kind) => RESOURCE_KINDS[kind].originSystem === originSystem);
}
