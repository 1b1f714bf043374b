// The plans of a catalog's resources, their roles and their root scopes. Each catalog holds a few resources of
// its department — its groups, the applications its packages grant, its SharePoint site — added soon after the
// catalog was made; each resource has the roles of its kind and one root scope, as Graph lists them.
import type { Random } from 'json-schema-faker';
import type { AccessPackageResource } from '../store/records.js';
import { APPLICATIONS, RESOURCE_KINDS, type ResourceKind } from './entitlements.js';
import { DAY_MS, MINUTE_MS, type RecordPlan, type Tenant, departmentOfCatalog, guid, timestamps, upn } from './fakers.js';
import { ADMINS } from './vocabulary.js';

/** Resources per catalog: a group, an application and the department's site or a second group. */
export const RESOURCES_PER_CATALOG = 3;

const slug = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

export function planResource(random: Random, index: number, tenant: Tenant): RecordPlan {
  const at = Math.floor(index / RESOURCES_PER_CATALOG);
  const catalog = tenant.catalogs[at]!;
  const department = departmentOfCatalog(at, tenant, random);
  const slot = index % RESOURCES_PER_CATALOG;
  const kind: ResourceKind = slot === 0 ? 'group' : slot === 1 ? 'application' : random.bool(0.6) ? 'site' : 'group';
  const originId = guid(random);
  const catalogMs = Date.parse(`${catalog.createdDateTime.slice(0, 23)}Z`);
  const named = {
    group: () => ({
      displayName: `${department.name} ${slot === 0 ? 'members' : 'approvers'}`,
      description: `Security group for ${department.team}.`,
      url: null,
    }),
    application: () => {
      const app = random.pick(APPLICATIONS);
      return {
        displayName: `${app} (${department.name})`,
        description: `${app} for ${department.team}.`,
        url: `https://myapps.microsoft.com/signin/${encodeURIComponent(app)}/${originId}`,
      };
    },
    site: () => ({
      displayName: `${department.name} team site`,
      description: `The SharePoint site of ${department.team}.`,
      url: `https://contoso.sharepoint.com/sites/${slug(department.name)}`,
    }),
  }[kind]();
  return {
    ...named,
    // A site's origin is its address, as the role scope pages show it.
    originId: kind === 'site' ? named.url! : originId,
    kind,
    catalogId: catalog.id,
    general: false,
    hidden: false,
    creator: upn(random.pick(ADMINS)),
    ...timestamps(random, catalogMs + MINUTE_MS, catalogMs + DAY_MS),
  };
}

/** One role slot per role of each resource's kind, in resource order. */
export function roleSlots(resources: readonly AccessPackageResource[]): { resource: AccessPackageResource; index: number }[] {
  return resources.flatMap((resource) => RESOURCE_KINDS[kindOf(resource)].roles.map((_, index) => ({ resource, index })));
}

function kindOf(resource: AccessPackageResource): ResourceKind {
  return resource.originSystem === 'AadApplication' ? 'application' : resource.originSystem === 'SharePointOnline' ? 'site' : 'group';
}

function childPlan(resource: AccessPackageResource, fields: Partial<RecordPlan>): RecordPlan {
  return {
    displayName: '',
    description: null,
    catalogId: resource.catalogId,
    general: false,
    hidden: false,
    creator: resource.addedBy ?? '',
    createdMs: 0,
    createdDateTime: resource.addedOn ?? '',
    kind: kindOf(resource),
    parentId: resource.id,
    originId: resource.originId ?? undefined,
    ...fields,
  };
}

export function planRole(_random: Random, index: number, tenant: Tenant): RecordPlan {
  const { resource, index: roleIndex } = tenant.roleSlots![index]!;
  const role = RESOURCE_KINDS[kindOf(resource)].roles[roleIndex]!;
  return childPlan(resource, { displayName: role.displayName, description: role.description, originId: role.originId(resource.originId ?? '', roleIndex) });
}

export function planScope(_random: Random, index: number, tenant: Tenant): RecordPlan {
  const resource = tenant.resources![index]!;
  return childPlan(resource, { url: resource.url });
}
