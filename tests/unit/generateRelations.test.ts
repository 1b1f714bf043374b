// A generated tenant's catalogs hold resources with their roles and scopes, every package has its policies, half
// of them a role of their catalog, a few an incompatibility — all consistent with each other, valid against the
// schemas, and the same for the same SEED.
import { describe, expect, it } from '@jest/globals';
import { COLLECTIONS, COLLECTION_NAMES } from '../../server/collections.js';
import { createAjv } from '../../server/jsonSchema.js';
import { loadSchema } from '../../server/resources/validation.js';
import { POLICY_PATTERNS } from '../../server/tenantData/entitlements.js';
import { generateDataset } from '../../server/tenantData/generate.js';
import { DEPARTMENTS, POLICY_SENTENCES, requestSentence } from '../../server/tenantData/vocabulary.js';

const REFERENCE_DATE = '2026-11-01T00:00:00.000Z';
const tenant = generateDataset({ seed: 11, accessPackages: 400, accessPackageCatalogs: 8, referenceDate: REFERENCE_DATE });
const byId = <T extends { id: string }>(records: readonly T[]) => new Map(records.map((r) => [r.id, r]));
const ms = (dateTime: string) => Date.parse(`${dateTime.slice(0, 23)}Z`);

describe('generated relations', () => {
  it.each(COLLECTION_NAMES)('%s: every record validates against its schema, ids unique', (collection) => {
    const validate = createAjv().compile(loadSchema(COLLECTIONS[collection]));
    const records: readonly { id: string }[] = tenant[collection];
    const valid = (record: unknown): boolean => validate(record);
    expect(records.filter((r) => !valid(r)).map((r) => [r.id, validate.errors])).toEqual([]);
    expect(new Set(records.map((r) => r.id)).size).toBe(records.length);
  });

  it('gives every catalog, General first, a few resources, each with the roles of its kind and one root scope', () => {
    expect(tenant.accessPackageCatalogs[0]).toMatchObject({ displayName: 'General', catalogType: 'ServiceDefault', createdBy: 'Azure AD' });
    const catalogs = byId(tenant.accessPackageCatalogs);
    for (const resource of tenant.accessPackageResources) {
      expect(catalogs.has(resource.catalogId)).toBe(true);
      const roles = tenant.accessPackageResourceRoles.filter((r) => r.accessPackageResourceId === resource.id);
      const scopes = tenant.accessPackageResourceScopes.filter((s) => s.accessPackageResourceId === resource.id);
      expect(roles.length).toBeGreaterThanOrEqual(2);
      expect(roles.every((r) => r.catalogId === resource.catalogId && r.originSystem === resource.originSystem)).toBe(true);
      expect(scopes).toEqual([expect.objectContaining({ isRootScope: true, originId: resource.originId, catalogId: resource.catalogId })]);
      if (resource.originSystem === 'AadGroup') expect(roles.map((r) => r.originId)).toEqual([`Member_${resource.originId}`, `Owner_${resource.originId}`]);
      expect(ms(resource.addedOn!)).toBeGreaterThan(ms(catalogs.get(resource.catalogId)!.createdDateTime));
    }
    expect(new Set(tenant.accessPackageResources.map((r) => r.catalogId)).size).toBe(8);
  });

  it('gives every package a policy, created after it, and every policy a package', () => {
    const packages = byId(tenant.accessPackages);
    const withPolicy = new Set(tenant.accessPackageAssignmentPolicies.map((p) => p.accessPackageId));
    expect(tenant.accessPackages.filter((p) => !withPolicy.has(p.id))).toEqual([]);
    for (const policy of tenant.accessPackageAssignmentPolicies) {
      const owner = packages.get(policy.accessPackageId)!;
      expect(ms(policy.createdDateTime)).toBeGreaterThan(ms(owner.createdDateTime));
      expect(policy.v1Settings).toBeNull();
    }
    expect(new Set(tenant.accessPackageAssignmentPolicies.map((p) => p.displayName)).size).toBeGreaterThan(3);
  });

  it('never gives a package two policies of one pattern, and says in its description how all of them are requested', () => {
    const byPackage = new Map<string, string[]>();
    for (const policy of tenant.accessPackageAssignmentPolicies) {
      byPackage.set(policy.accessPackageId, [...(byPackage.get(policy.accessPackageId) ?? []), policy.displayName ?? '']);
    }
    expect([...byPackage.values()].filter((names) => new Set(names).size !== names.length)).toEqual([]);
    expect([...byPackage.values()].filter((names) => names.length === 2)).toHaveLength(40);
    const kindOf = new Map(POLICY_PATTERNS.map((p) => [p.displayName, p.kind]));
    for (const accessPackage of tenant.accessPackages) {
      const kinds = byPackage.get(accessPackage.id)!.map((name) => kindOf.get(name)!);
      expect(accessPackage.description).toMatch(/^\S.*\. \S/);
      expect(accessPackage.description!.endsWith(` ${requestSentence(kinds)}`)).toBe(true);
    }
    // Each pattern's sentence appears; a package requested in several ways names each way instead (undefined).
    const sentences = new Set(tenant.accessPackages.map((p) => Object.values(POLICY_SENTENCES).find((t) => p.description!.includes(t))));
    expect(sentences).toEqual(new Set([...Object.values(POLICY_SENTENCES), undefined]));
  });

  it('lets assignees extend only what they can request and what expires, never a direct assignment, for any seed', () => {
    const extendable = (seed: number) =>
      generateDataset({ seed, accessPackages: 12, accessPackageCatalogs: 2, referenceDate: REFERENCE_DATE })
        .accessPackageAssignmentPolicies.filter((p) => p.canExtend === true)
        .map((p) => ({ seed, name: p.displayName, scopeType: (p.requestorSettings as { scopeType?: string }).scopeType, durationInDays: p.durationInDays }));
    const all = Array.from({ length: 40 }, (_, seed) => extendable(seed)).flat();
    expect(all.filter((p) => p.scopeType === 'NoSubjects' || p.durationInDays === 0)).toEqual([]);
    // Request policies still may be extended: about three patterns in ten.
    expect(all.length).toBeGreaterThan(20);
  });

  it('opens a package to connected organizations only in a catalog users outside the tenant may request from, for any seed', () => {
    const outside = Array.from({ length: 40 }, (_, seed) => {
      const data = generateDataset({ seed, accessPackages: 25, accessPackageCatalogs: 3, referenceDate: REFERENCE_DATE });
      const catalogOf = new Map(data.accessPackages.map((p) => [p.id, data.accessPackageCatalogs.find((c) => c.id === p.catalogId)!]));
      return data.accessPackageAssignmentPolicies
        .filter((p) => (p.requestorSettings as { scopeType?: string }).scopeType === 'AllConfiguredConnectedOrganizationSubjects')
        .map((p) => ({
          seed,
          catalog: catalogOf.get(p.accessPackageId)!.displayName,
          isExternallyVisible: catalogOf.get(p.accessPackageId)!.isExternallyVisible,
        }));
    }).flat();
    expect(outside.filter((p) => p.isExternallyVisible !== true)).toEqual([]);
    expect(outside.length).toBeGreaterThan(10);
  });

  it('gives role scopes only roles and scopes of the package’s own catalog, with Graph’s id', () => {
    const packages = byId(tenant.accessPackages);
    const roles = byId(tenant.accessPackageResourceRoles);
    const scopes = byId(tenant.accessPackageResourceScopes);
    // One package in two, less those of General whose department has no resource there.
    expect(tenant.accessPackageResourceRoleScopes.length).toBe(181);
    for (const roleScope of tenant.accessPackageResourceRoleScopes) {
      const catalogId = packages.get(roleScope.accessPackageId)!.catalogId;
      const role = roles.get(roleScope.accessPackageResourceRoleId)!;
      const scope = scopes.get(roleScope.accessPackageResourceScopeId)!;
      expect([role.catalogId, scope.catalogId, scope.accessPackageResourceId]).toEqual([catalogId, catalogId, role.accessPackageResourceId]);
      expect(roleScope.id).toBe(`${roleScope.accessPackageId}_${role.id}_${scope.id}`);
    }
  });

  it('gives a package a role only of a resource of its own department, in General too, for any seed', () => {
    const mismatched = Array.from({ length: 30 }, (_, seed) => {
      const data = generateDataset({ seed, accessPackages: 30, accessPackageCatalogs: 3, referenceDate: REFERENCE_DATE });
      const packages = byId(data.accessPackages);
      const roles = byId(data.accessPackageResourceRoles);
      const resources = byId(data.accessPackageResources);
      return data.accessPackageResourceRoleScopes.map((roleScope) => {
        const name = packages.get(roleScope.accessPackageId)!.displayName!;
        const department = DEPARTMENTS.find((d) => name.startsWith(`${d.name} – `))!;
        const resource = resources.get(roles.get(roleScope.accessPackageResourceRoleId)!.accessPackageResourceId)!;
        // A group "for finance staff.", an app "for finance staff.", a site "of finance staff."
        return { seed, name, resource: resource.displayName, of: resource.description, own: resource.description!.endsWith(` ${department.team}.`) };
      });
    })
      .flat()
      .filter((r) => !r.own);
    expect(mismatched).toEqual([]);
  });

  it('makes a few incompatibilities, with packages of the same catalog and with its catalog’s groups', () => {
    const packages = byId(tenant.accessPackages);
    const groups = new Map(tenant.accessPackageResources.filter((r) => r.originSystem === 'AadGroup').map((g) => [g.originId, g]));
    const links = tenant.accessPackageIncompatibilities;
    expect(links.length).toBeGreaterThanOrEqual(16);
    for (const link of links) {
      const owner = packages.get(link.accessPackageId)!;
      // Never older than either end it links.
      expect(ms(link.createdDateTime)).toBeGreaterThan(ms(owner.createdDateTime));
      if (link.incompatibleAccessPackageId !== null) {
        expect(ms(link.createdDateTime)).toBeGreaterThan(ms(packages.get(link.incompatibleAccessPackageId)!.createdDateTime));
        expect(link.incompatibleAccessPackageId).not.toBe(link.accessPackageId);
        expect(packages.get(link.incompatibleAccessPackageId)!.catalogId).toBe(owner.catalogId);
      } else {
        expect(groups.get(link.incompatibleGroupId)!.catalogId).toBe(owner.catalogId);
        expect(ms(link.createdDateTime)).toBeGreaterThan(ms(groups.get(link.incompatibleGroupId)!.addedOn!));
      }
    }
  });

  it('is the same tenant for the same SEED, another for another', () => {
    const again = generateDataset({ seed: 11, accessPackages: 400, accessPackageCatalogs: 8, referenceDate: REFERENCE_DATE });
    expect(again).toEqual(tenant);
    const other = generateDataset({ seed: 12, accessPackages: 400, accessPackageCatalogs: 8, referenceDate: REFERENCE_DATE });
    expect(other.accessPackageAssignmentPolicies[0]!.id).not.toBe(tenant.accessPackageAssignmentPolicies[0]!.id);
  });
});
