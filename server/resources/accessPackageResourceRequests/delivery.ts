// What a resource request does, as the live service delivers one when it answers: `AdminAdd` adds its
// accessPackageResource to the catalog with the roles of its origin system and one root scope, `AdminUpdate` gives a
// resource of the catalog the attributes sent, `AdminRemove` removes it with its roles and scopes; `isValidationOnly`
// checks and changes nothing. The request keeps the resource it names, its accessPackageResource navigation.
// https://learn.microsoft.com/graph/api/entitlementmanagement-post-accesspackageresourcerequests?view=graph-rest-beta
// https://learn.microsoft.com/graph/api/entitlementmanagement-post-resourcerequests?view=graph-rest-1.0 (example 5: an update)
import { GraphError } from '../../graphErrors.js';
import { graphNow, graphNowAfter } from '../../graphTime.js';
import { isGuid } from '../../guid.js';
import type { RecordChange, Store } from '../../store/store.js';
import { RESOURCE_KINDS, kindOfSystem, namedResource } from '../accessPackageResources/originSystems.js';
import type { MutableRow, ResourceContext, ResourceRules, Row } from '../definition.js';
import { camel } from '../enumSpelling.js';
import { newRecord } from '../inbound.js';
import { invalidIdMessage } from '../keys.js';
import { removalsWhere } from '../removals.js';
import { validatorFor } from '../validation.js';

/** The request types served, in the order the resource pages name them. */
const REQUEST_TYPES = ['AdminAdd', 'AdminUpdate', 'AdminRemove'] as const;

const refused = (message: string): never => {
  throw GraphError.of('invalidOperation', message);
};
const fail = (kind: 'invalidModel' | 'notFound'): never => {
  throw GraphError.of(kind);
};

/** The catalog the request names: an unknown one is InvalidModel, as for a package (microsoft-graph-docs issue 9895). */
function catalogOf(store: Store, catalogId: unknown): Row {
  const catalog =
    typeof catalogId === 'string' && isGuid(catalogId) ? (store.get('accessPackageCatalogs', catalogId.toLowerCase()) as Row | undefined) : undefined;
  return catalog ?? fail('invalidModel');
}

const sameOrigin = (a: unknown, b: unknown) => typeof a === 'string' && typeof b === 'string' && a.toLowerCase() === b.toLowerCase();

/** The catalog's resource the sent one names: by `id` (the page's example 5), else by originSystem and originId. */
function resourceIn(store: Store, catalogId: string, sent: Row): Row | undefined {
  return (store.list('accessPackageResources') as unknown as readonly Row[]).find(
    (r) =>
      r['catalogId'] === catalogId &&
      (typeof sent['id'] === 'string'
        ? sameOrigin(r['id'], sent['id'])
        : r['originSystem'] === sent['originSystem'] && sameOrigin(r['originId'], sent['originId'])),
  );
}

/** An absolute http(s) URL, as a SharePoint Online site's address is. */
const isWebUrl = (text: string) => /^https?:\/\/[^/\s]+/i.test(text) && URL.canParse(text);

/** A group's page in the portal, as the tutorial's listed resource shows it. */
const groupPage = (tenantId: string, groupId: string) =>
  `https://account.activedirectory.windowsazure.com/r?tenantId=${tenantId}#/manageMembership?objectType=Group&objectId=${groupId}`;

/** The resource an AdminAdd adds, with its roles and its root scope, as the generated tenants hold them. */
function added(sent: Row, catalog: Row, context: ResourceContext): RecordChange[] {
  const kind = kindOfSystem(sent['originSystem']);
  if (kind === undefined) return refused(`The originSystem '${String(sent['originSystem'])}' is not one of AadGroup, AadApplication, SharePointOnline.`);
  const originId = sent['originId'];
  if (typeof originId !== 'string' || originId === '') return refused('The accessPackageResource has no originId.');
  // A group's and a service principal's ids are GUIDs: another text (a group's name sent for its id) names nothing
  // the directory could hold, where Graph finds no such object; the emulator has no directory to look in (chosen).
  if (kind !== 'site' && !isGuid(originId)) refused(invalidIdMessage(originId, kind === 'group' ? 'group' : 'servicePrincipal'));
  // A site is named by its URL ("the originId is the URI of the site"), which becomes the resource's url.
  if (kind === 'site' && !isWebUrl(originId)) refused(`The originId '${originId}' is not the URL of a SharePoint Online site.`);
  if (resourceIn(context.store, catalog['id'] as string, { originSystem: sent['originSystem'], originId })) {
    // The live service's words (terraform-provider-azuread issue 1862).
    refused('The specified resource is already onboarded to ELM.');
  }
  const facts = RESOURCE_KINDS[kind];
  const caller = { caller: context.caller };
  const { id: _id, ...settable } = sent;
  // One instant for addedOn and the stored modifiedDateTime: v1.0 shows them as createdDateTime and modifiedDateTime.
  const now = graphNow();
  const resource = newRecord<MutableRow>(validatorFor('accessPackageResource'), settable, { ...caller, now });
  const named = namedResource(kind, originId);
  Object.assign(resource, {
    catalogId: catalog['id'],
    addedBy: context.caller,
    addedOn: now,
    displayName: resource['displayName'] ?? named.displayName,
    description: resource['description'] ?? named.description,
    // A group is what the directory says it is, whatever the request calls it: the tutorial sends resourceType
    // "AadGroup" and lists the resource as a "Security Group" with the group's page in the portal as its url.
    resourceType: kind === 'group' ? facts.resourceType : (resource['resourceType'] ?? facts.resourceType),
    url: kind === 'group' ? groupPage(context.store.tenantId, originId) : (resource['url'] ?? (kind === 'site' ? originId : null)),
  });
  const child = (type: 'accessPackageResourceRole' | 'accessPackageResourceScope', values: Row): MutableRow =>
    Object.assign(newRecord<MutableRow>(validatorFor(type), {}, caller), { accessPackageResourceId: resource['id'], catalogId: catalog['id'] }, values);
  const roles = facts.roles.map((role, index) =>
    child('accessPackageResourceRole', {
      displayName: role.displayName,
      description: role.description,
      originId: role.originId(originId, index),
      originSystem: facts.originSystem,
    }),
  );
  const scope = child('accessPackageResourceScope', {
    displayName: 'Root',
    description: 'Root Scope',
    isRootScope: true,
    originId,
    originSystem: facts.originSystem,
    // As the generated tenants' scopes: a group's root scope has no address of its own.
    url: kind === 'group' ? null : resource['url'],
  });
  return [
    { op: 'create', collection: 'accessPackageResources', record: resource as never },
    ...roles.map((record): RecordChange => ({ op: 'create', collection: 'accessPackageResourceRoles', record: record as never })),
    { op: 'create', collection: 'accessPackageResourceScopes', record: scope as never },
  ];
}

/**
 * An AdminUpdate: the catalog's resource "updated to have different attribute requirements" (the resource pages), the
 * attributes sent in place of its own; what else the body sends names the resource and changes nothing (chosen: the
 * pages describe no other update). v1.0's example 5 sends only originId, originSystem and attributes. The resource's
 * modifiedDateTime (v1.0's type has one, beta's has not) moves forward as every update's does (inbound.ts).
 */
function updated(sent: Row, catalog: Row, store: Store): RecordChange[] {
  const resource = resourceIn(store, catalog['id'] as string, sent) ?? fail('notFound');
  const modifiedDateTime = graphNowAfter([resource['modifiedDateTime'], resource['addedOn']]);
  // Stored as sent, as an AdminAdd stores them (a null list never gets here: the body's reader refuses it).
  const record = { ...resource, ...('attributes' in sent ? { attributes: sent['attributes'] } : {}), modifiedDateTime };
  return [{ op: 'update', collection: 'accessPackageResources', record: record as never }];
}

/** An AdminRemove: the resource with its roles and scopes, unless a package still grants one of its roles (chosen). */
function removed(sent: Row, catalog: Row, store: Store): RecordChange[] {
  const resource = resourceIn(store, catalog['id'] as string, sent) ?? fail('notFound');
  const id = resource['id'];
  const roles = new Set(
    (store.list('accessPackageResourceRoles') as unknown as readonly Row[]).filter((r) => r['accessPackageResourceId'] === id).map((r) => r['id']),
  );
  if ((store.list('accessPackageResourceRoleScopes') as unknown as readonly Row[]).some((rs) => roles.has(rs['accessPackageResourceRoleId']))) {
    refused(`The resource: ${String(resource['displayName'])} can not be removed because access packages grant its roles.`);
  }
  return [
    ...removalsWhere(store, 'accessPackageResourceRoles', (r) => r['accessPackageResourceId'] === id),
    ...removalsWhere(store, 'accessPackageResourceScopes', (r) => r['accessPackageResourceId'] === id),
    { op: 'remove', collection: 'accessPackageResources', id: id as string },
  ];
}

type RequestType = (typeof REQUEST_TYPES)[number];

/** What each request type delivers. */
const DELIVERIES: Readonly<Record<RequestType, (sent: Row, catalog: Row, context: ResourceContext) => RecordChange[]>> = {
  AdminAdd: added,
  AdminUpdate: (sent, catalog, context) => updated(sent, catalog, context.store),
  AdminRemove: (sent, catalog, context) => removed(sent, catalog, context.store),
};

export const resourceRequestRules: ResourceRules = {
  creating(record, body, context) {
    const type = record['requestType'];
    if (!REQUEST_TYPES.includes(type as never)) {
      // Each version's spelling: v1.0's enum members are camel case (adminAdd).
      const spelt = (name: unknown) => (context.version === 'v1.0' ? camel(name) : name);
      refused(`The requestType '${String(spelt(type) ?? null)}' is not one of ${REQUEST_TYPES.map(spelt).join(', ')}.`);
    }
    catalogOf(context.store, body['catalogId']);
    record['catalogId'] = (body['catalogId'] as string).toLowerCase();
    const sent = body['accessPackageResource'];
    if (typeof sent !== 'object' || sent === null) refused(`The request has no ${context.version === 'v1.0' ? 'resource' : 'accessPackageResource'}.`);
    // Delivered as it is answered: the emulator has no queue, so no request is ever pending.
    record['requestState'] = 'Delivered';
    record['requestStatus'] = 'Fulfilled';
  },
  alongside(record, body, context) {
    const catalog = catalogOf(context.store, record['catalogId']);
    const sent = body['accessPackageResource'] as Row;
    const type = record['requestType'];
    const changes = DELIVERIES[type as RequestType](sent, catalog, context);
    const validationOnly = record['isValidationOnly'] === true;
    // The resource each kind of change names: created first by an add, updated by an update, removed last by a remove.
    const named = changes.find((c) => c.collection === 'accessPackageResources');
    const resourceId = named === undefined ? null : named.op === 'remove' ? named.id : (named.record as { id: string }).id;
    // An add only validated adds no resource for the request to name.
    record['accessPackageResourceId'] = validationOnly && type === 'AdminAdd' ? null : resourceId;
    return validationOnly ? [] : changes;
  },
};
