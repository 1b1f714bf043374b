// Every list the emulator serves, followed to its end by msgraph-sdk-core's PageIterator at a page size of 2, through
// the Kiota beta SDK's models: the items are those one page of 999 holds, in its order, each parsed without
// anything the model does not know; the role scopes, incompatibilities and resources of a tenant built through the SDK.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  type AccessPackage,
  type AccessPackageCatalog,
  type AccessPackageResourceRole,
  type AccessPackageResourceScope,
  createAccessPackageAssignmentPolicyCollectionResponseFromDiscriminatorValue as policies,
  createAccessPackageCatalogCollectionResponseFromDiscriminatorValue as catalogs,
  createAccessPackageCatalogFromDiscriminatorValue as catalogFactory,
  createAccessPackageCollectionResponseFromDiscriminatorValue as packages,
  createAccessPackageFromDiscriminatorValue as packageFactory,
  createAccessPackageResourceCollectionResponseFromDiscriminatorValue as resources,
  createAccessPackageResourceRoleCollectionResponseFromDiscriminatorValue as roles,
  createAccessPackageResourceRoleScopeCollectionResponseFromDiscriminatorValue as roleScopes,
  createAccessPackageResourceRoleScopeFromDiscriminatorValue as roleScopeFactory,
  createAccessPackageResourceScopeCollectionResponseFromDiscriminatorValue as scopes,
  createGroupCollectionResponseFromDiscriminatorValue as groups,
  serializeAccessPackage,
  serializeAccessPackageAssignmentPolicy,
  serializeAccessPackageCatalog,
  serializeAccessPackageResourceRoleScope,
  serializeReferenceCreate,
} from '@microsoft/msgraph-beta-sdk/models/index.js';
import { type RunningEmulator, startEmulator } from '../../server/index.js';
import { addGroup } from '../support/catalogResources.js';
import { ERRORS, answerOf, betaAdapter, emRequest, everyItem } from '../support/kiotaBeta.js';

const EM = '/beta/identityGovernance/entitlementManagement';
const PACKAGE_URL = 'https://graph.microsoft.com/beta/identityGovernance/entitlementManagement/accessPackages';

describe('the Kiota beta SDK: PageIterator to the end of every list, two items a page', () => {
  let emulator: RunningEmulator;
  let adapter: ReturnType<typeof betaAdapter>;
  let catalogId: string;
  let packageId: string;
  beforeAll(async () => {
    emulator = await startEmulator({ pageSize: 2 });
    adapter = betaAdapter(emulator.port);
    const catalog: AccessPackageCatalog = { displayName: 'Sales' };
    const createCatalog = emRequest(adapter, 'POST', '/accessPackageCatalogs', { body: catalog, serializer: serializeAccessPackageCatalog });
    catalogId = String((await answerOf<AccessPackageCatalog>(adapter, createCatalog, catalogFactory)).id);
    for (const name of ['CRM', 'Pricing', 'Forecasts']) await addGroup(emulator.store, catalogId, name);
    const created: string[] = [];
    for (const name of ['Sales', 'Sales EMEA', 'Sales APAC', 'Sales US', 'Sales LATAM']) {
      const body: AccessPackage = { catalogId, displayName: name };
      const create = emRequest(adapter, 'POST', '/accessPackages', { body, serializer: serializeAccessPackage });
      created.push(String((await answerOf<AccessPackage>(adapter, create, packageFactory)).id));
    }
    [packageId] = created as [string];
    for (const name of ['Employees', 'Contractors', 'Partners']) {
      const policy = { accessPackageId: packageId, displayName: name, requestorSettings: { scopeType: 'AllExistingDirectorySubjects', acceptRequests: true } };
      await adapter.sendNoResponseContent(
        emRequest(adapter, 'POST', '/accessPackageAssignmentPolicies', { body: policy, serializer: serializeAccessPackageAssignmentPolicy }),
        ERRORS,
      );
    }
    // Every role of the catalog at its resource's root scope: six role scopes, named as the create page's example 2 does.
    const query = { '%24expand': ['accessPackageResource'] };
    const catalogRoles = await everyItem<AccessPackageResourceRole>(
      adapter,
      emRequest(adapter, 'GET', '/accessPackageCatalogs/{id}/accessPackageResourceRoles{?%24expand}', { path: { id: catalogId }, query }),
      roles,
    );
    const catalogScopes = await everyItem<AccessPackageResourceScope>(
      adapter,
      emRequest(adapter, 'GET', '/accessPackageCatalogs/{id}/accessPackageResourceScopes{?%24expand}', { path: { id: catalogId }, query }),
      scopes,
    );
    for (const role of catalogRoles) {
      const scope = catalogScopes.find((s) => s.accessPackageResource?.id === role.accessPackageResource?.id);
      const body = {
        accessPackageResourceRole: { originId: role.originId, originSystem: 'AadGroup', accessPackageResource: { id: role.accessPackageResource?.id } },
        accessPackageResourceScope: { id: scope?.id, originId: scope?.originId, originSystem: 'AadGroup' },
      };
      const request = emRequest(adapter, 'POST', '/accessPackages/{id}/accessPackageResourceRoleScopes', {
        path: { id: packageId },
        body,
        serializer: serializeAccessPackageResourceRoleScope,
      });
      await adapter.send(request, roleScopeFactory, ERRORS);
    }
    for (const other of created.slice(1)) {
      const ref = (id: string, url: string) =>
        emRequest(adapter, 'POST', '/accessPackages/{id}/incompatibleAccessPackages/$ref', {
          path: { id },
          body: { odataId: url },
          serializer: serializeReferenceCreate,
        });
      await adapter.sendNoResponseContent(ref(packageId, `${PACKAGE_URL}/${other}`), ERRORS);
      await adapter.sendNoResponseContent(ref(other, `${PACKAGE_URL}/${packageId}`), ERRORS);
      const group = { odataId: `https://graph.microsoft.com/beta/groups/${other}` };
      await adapter.sendNoResponseContent(
        emRequest(adapter, 'POST', '/accessPackages/{id}/incompatibleGroups/$ref', {
          path: { id: packageId },
          body: group,
          serializer: serializeReferenceCreate,
        }),
        ERRORS,
      );
    }
  });
  afterAll(async () => {
    await emulator.close();
  });

  /** The list in one page of 999, as the wire has it. */
  async function onePage(path: string, query: string): Promise<Array<{ id: string }>> {
    const answer = await fetch(`${emulator.url}${EM}${path}?$top=999${query}`, { headers: { Authorization: 'Bearer any-token' } });
    expect(answer.status).toBe(200);
    return ((await answer.json()) as { value: Array<{ id: string }> }).value;
  }

  const lists: Array<[string, string, Parameters<typeof everyItem>[2], Record<string, string | boolean | string[]>, string, number]> = [
    ['packages', '/accessPackages', packages, {}, '', 5],
    ['catalogs, $count', '/accessPackageCatalogs', catalogs, { '%24count': true }, '&$count=true', 2],
    ['policies, $expand of the package', '/accessPackageAssignmentPolicies', policies, { '%24expand': ['accessPackage'] }, '&$expand=accessPackage', 3],
    [
      "a catalog's packages, $select",
      '/accessPackageCatalogs/{catalog}/accessPackages',
      packages,
      { '%24select': ['id', 'displayName'] },
      '&$select=id,displayName',
      5,
    ],
    [
      "a catalog's resources, $expand of roles and scopes",
      '/accessPackageCatalogs/{catalog}/accessPackageResources',
      resources,
      { '%24expand': ['accessPackageResourceRoles', 'accessPackageResourceScopes'] },
      '&$expand=accessPackageResourceRoles,accessPackageResourceScopes',
      3,
    ],
    [
      "a catalog's roles, $filter",
      '/accessPackageCatalogs/{catalog}/accessPackageResourceRoles',
      roles,
      { '%24filter': "displayName eq 'Member'" },
      "&$filter=displayName eq 'Member'",
      3,
    ],
    ["a catalog's scopes", '/accessPackageCatalogs/{catalog}/accessPackageResourceScopes', scopes, {}, '', 3],
    [
      "a package's role scopes, $expand of role and scope",
      '/accessPackages/{package}/accessPackageResourceRoleScopes',
      roleScopes,
      { '%24expand': ['accessPackageResourceRole', 'accessPackageResourceScope'] },
      '&$expand=accessPackageResourceRole,accessPackageResourceScope',
      6,
    ],
    [
      "a package's policies, $orderby",
      '/accessPackages/{package}/accessPackageAssignmentPolicies',
      policies,
      { '%24orderby': ['displayName desc'] },
      '&$orderby=displayName desc',
      3,
    ],
    ["a package's incompatible packages", '/accessPackages/{package}/incompatibleAccessPackages', packages, {}, '', 4],
    ['the packages incompatible with it', '/accessPackages/{package}/accessPackagesIncompatibleWith', packages, {}, '', 4],
    [
      "a package's incompatible groups, $select",
      '/accessPackages/{package}/incompatibleGroups',
      groups,
      { '%24select': ['id', 'displayName'] },
      '&$select=id,displayName',
      4,
    ],
    ['filterByCurrentUser, $count', "/accessPackages/filterByCurrentUser(on='allowedRequestor')", packages, { '%24count': true }, '&$count=true', 1],
  ];

  it.each(lists)('%s', async (_name, template, factory, query, wire, expected) => {
    const path = template.replace('{catalog}', catalogId).replace('{package}', packageId);
    const names = Object.keys(query).join(',');
    await emulator.clearRequests();
    const request = emRequest(adapter, 'GET', `${path}${names ? `{?${names}}` : ''}`, { query });
    const items = (await everyItem(adapter, request, factory)) as Array<{ id: string; additionalData?: Record<string, unknown> }>;
    const pages = await emulator.requests({ method: 'GET' });
    const all = await onePage(path, wire);
    expect(all).toHaveLength(expected);
    expect(items.map((item) => item.id)).toEqual(all.map((item) => item.id));
    // Nothing of an item lands in additionalData but the context of each contained expansion, which the SDK's model
    // has no property for (Graph sends it too): every property the emulator writes is one the SDK's model has.
    const extra = (item: { additionalData?: Record<string, unknown> }) => Object.keys(item.additionalData ?? {}).filter((k) => !k.endsWith('@odata.context'));
    expect(items.filter((item) => extra(item).length > 0)).toEqual([]);
    const contexts = new Set(items.flatMap((item) => Object.keys(item.additionalData ?? {}).filter((k) => k.endsWith('@odata.context'))));
    const expanded = (query['%24expand'] ?? []) as string[];
    expect([...contexts].sort()).toEqual(
      expanded
        .filter((nav) => nav !== 'accessPackage')
        .map((nav) => `${nav}@odata.context`)
        .sort(),
    );
    // One request a page: the iterator followed each nextLink, two items at a time.
    expect(pages.map((entry) => entry.status)).toEqual(Array(Math.ceil(expected / 2)).fill(200));
  });
});
