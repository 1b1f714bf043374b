// Incompatibilities of an access package, kept as links (accessPackageIncompatibility records): with other
// packages (`incompatibleAccessPackages`, and read from the other side as `accessPackagesIncompatibleWith`) and
// with groups (`incompatibleGroups`). Added with POST …/$ref naming the other entity by `@odata.id`, removed with
// DELETE …/{id}/$ref (or …/$ref?$id={url}, as Graph's SDKs send it), both 204.
// https://learn.microsoft.com/graph/api/accesspackage-post-incompatibleaccesspackage?view=graph-rest-beta
// https://learn.microsoft.com/graph/api/accesspackage-post-incompatiblegroup?view=graph-rest-beta
// https://learn.microsoft.com/graph/api/accesspackage-delete-incompatibleaccesspackage?view=graph-rest-beta
import { GraphError } from '../../graphErrors.js';
import { graphNow } from '../../graphTime.js';
import { graphRoot } from '../../graphWire.js';
import { sendNoContent } from '../../http/successAnswers.js';
import type { ApiVersion } from '../../metadata/csdl.js';
import type { RecordChange, Store } from '../../store/store.js';
import type { Navigation, NavigationWrite, ResourceContext, Row } from '../definition.js';
import { requireBody } from '../handlers.js';
import { incompatibleGroups } from '../incompatibleGroups/index.js';
import { findByKey, keyInUrl, parseKey, storedId } from '../keys.js';
import { linked } from '../navigation.js';
import { removalsWhere } from '../removals.js';
import { percentDecoded } from '../../urlText.js';
import { isJsonObject } from '../../jsonObject.js';
import { accessPackages } from './index.js';

type Kind = 'incompatibleAccessPackageId' | 'incompatibleGroupId';
const LINKS = 'accessPackageIncompatibilities';

function links(store: Store): readonly Row[] {
  return store.list(LINKS) as unknown as readonly Row[];
}

function linkOf(store: Store, accessPackageId: unknown, kind: Kind, target: string): Row | undefined {
  return links(store).find((l) => l['accessPackageId'] === accessPackageId && l[kind] === target);
}

type Segment = 'accessPackages' | 'groups';

/** The URL of what a link names, as the add pages write it in `@odata.id` (`{id}` for a refusal to show). */
function linkUrl(segment: Segment, version: ApiVersion, id: string): string {
  return `${graphRoot(version)}/${segment === 'groups' ? 'groups' : 'identityGovernance/entitlementManagement/accessPackages'}/${id}`;
}

/** What a refusal calls the entity a link names, and the URL form it shows (chosen: not documented). */
function exampleUrl(segment: Segment, version: ApiVersion): [what: string, url: string] {
  return [segment === 'groups' ? 'group' : 'access package', linkUrl(segment, version, '{id}')];
}

/** The stored id of the package or group a key names: an id is a GUID; an alternate key finds its record, else 404. */
function linkTarget(kind: Kind, raw: string, store: Store): string {
  const target = kind === 'incompatibleGroupId' ? incompatibleGroups : accessPackages;
  const key = parseKey(raw, target);
  if (key.property === 'id') return storedId(target, key.value);
  const record = findByKey(store, target, key);
  if (record === undefined) throw GraphError.of('notFound');
  return record['id'] as string;
}

const segmentOf = (kind: Kind): Segment => (kind === 'incompatibleGroupId' ? 'groups' : 'accessPackages');

/**
 * A member an entity reference link may not carry, refused in the words of Graph's OData reader
 * (Microsoft.OData.Core, ODataJsonEntityReferenceLinkDeserializer.ReadSingleEntityReferenceLink): another `@odata.`
 * annotation, a property, or a property's annotation. A custom annotation (`@contoso.note`) is skipped, as the
 * reader skips those it is not asked to read.
 */
function checkLinkMembers(body: Record<string, unknown>): void {
  for (const name of Object.keys(body)) {
    // `@odata.context`, which a reader of a request reads and skips, as a client may send a link it read back.
    if (name === '@odata.id' || name === '@odata.context' || (name.startsWith('@') && !name.startsWith('@odata.'))) continue;
    if (name.startsWith('@odata.')) {
      throw GraphError.of(
        'badRequest',
        `A property with name '${name.slice(1)}' was found when reading an entity reference link. No properties other than the entity reference link property with name 'odata.id' are allowed.`,
      );
    }
    const property = name.includes('@') ? name.slice(0, name.indexOf('@')) : name;
    throw GraphError.of(
      'badRequest',
      `An instance annotation with name '${property}' or a property annotation for the property with name '${property}' was found when reading an entity reference link. No OData property or instance annotations are allowed when reading entity reference links.`,
    );
  }
}

/** The key a POST …/$ref body's `@odata.id` names. The refusal shows the URL form of the version the request came through. */
function referencedKey(req: { body: unknown }, segment: Segment, version: ApiVersion): string {
  const body = requireBody(req as never);
  if (isJsonObject(body)) checkLinkMembers(body);
  // A body that is no object (null, a list, a number) names nothing by '@odata.id': the same 400 as one without it.
  const key = keyInUrl(isJsonObject(body) ? body['@odata.id'] : undefined, [segment]);
  if (key === undefined) {
    const [what, url] = exampleUrl(segment, version);
    throw GraphError.of('badRequest', `The request body must name the ${what} by '@odata.id', as in ${url}.`);
  }
  return key;
}

/**
 * The key a DELETE …/$ref names in its query: OData's `$id`, or `@id` as Graph's SDKs send it (their request builders
 * for the collection's `$ref` take the URL of the entity to unlink as `?@id=`).
 * http://docs.oasis-open.org/odata/odata/v4.01/odata-v4.01-part1-protocol.html#sec_RemoveaReferencetoanEntity
 */
function keyInQuery(originalUrl: string, segment: Segment, version: ApiVersion): string {
  const query = originalUrl.includes('?') ? originalUrl.slice(originalUrl.indexOf('?') + 1) : '';
  const pairs = query.split('&').filter((p) => /^(?:\$|@|%24|%40)id=/i.test(p));
  // Two ids name no one entity: neither is removed without a word (as a repeated $top is refused).
  if (pairs.length > 1) throw GraphError.of('badRequest', "Query option '$id' was specified more than once, but it must be specified at most once.");
  const pair = pairs[0];
  const key = keyInUrl(pair === undefined ? undefined : percentDecoded(pair.slice(pair.indexOf('=') + 1)), [segment]);
  if (key === undefined) {
    const [what, url] = exampleUrl(segment, version);
    throw GraphError.of('badRequest', `The request must name the ${what} to remove by '$id', as in $ref?$id=${url}.`);
  }
  return key;
}

function addLink(kind: Kind): NavigationWrite {
  return async (accessPackage, req, res, { store, version }) => {
    const target = linkTarget(kind, referencedKey(req, segmentOf(kind), version), store);
    const id = `${String(accessPackage['id'])}_${kind === 'incompatibleGroupId' ? 'group' : 'package'}_${target}`;
    const createdDateTime = graphNow();
    // Checked inside the write, against the data as the writes before it (a reset, a delete of either package)
    // leave it: nothing is awaited between the checks and the write.
    await store.apply((current) => {
      if (!current.get('accessPackages', accessPackage['id'] as string)) throw GraphError.of('notFound');
      if (kind === 'incompatibleAccessPackageId' && !current.get('accessPackages', target)) throw GraphError.of('notFound');
      if (target === accessPackage['id']) throw GraphError.of('badRequest', 'An access package cannot be incompatible with itself.');
      // Chosen: not documented; the wording of the directory's answer to a reference added twice.
      if (linkOf(current, accessPackage['id'], kind, target)) {
        throw GraphError.of(
          'badRequest',
          'One or more added object references already exist for the following modified properties: ' +
            `'${kind === 'incompatibleGroupId' ? 'incompatibleGroups' : 'incompatibleAccessPackages'}'.`,
        );
      }
      const record = {
        id,
        accessPackageId: accessPackage['id'] as string,
        incompatibleAccessPackageId: kind === 'incompatibleAccessPackageId' ? target : null,
        incompatibleGroupId: kind === 'incompatibleGroupId' ? target : null,
        createdDateTime,
      };
      return [{ op: 'create', collection: LINKS, record }];
    });
    sendNoContent(res);
  };
}

/** DELETE …/{key}/$ref: the link to the package or group the key names (an id, or a package's uniqueName). */
function removeLink(kind: Kind) {
  return async (accessPackage: Row, key: string, { store }: ResourceContext): Promise<void> => {
    const link = linkOf(store, accessPackage['id'], kind, linkTarget(kind, key, store));
    if (!link || !(await store.remove(LINKS, link['id'] as string))) throw GraphError.of('notFound');
  };
}

/** DELETE …/$ref?$id={url}: the same removal, of the link to the entity the query's URL names. */
function removeLinkNamed(kind: Kind): NavigationWrite {
  return async (accessPackage, req, res, context) => {
    await removeLink(kind)(accessPackage, keyInQuery(req.originalUrl, segmentOf(kind), context.version), context);
    sendNoContent(res);
  };
}

export const incompatibleAccessPackagesNavigation: Navigation = linked(
  () => accessPackages,
  'accessPackages',
  { collection: LINKS, from: 'accessPackageId', to: 'incompatibleAccessPackageId' },
  {
    addRef: addLink('incompatibleAccessPackageId'),
    removeRef: removeLink('incompatibleAccessPackageId'),
    removeRefNamed: removeLinkNamed('incompatibleAccessPackageId'),
    refUrl: (id, version) => linkUrl('accessPackages', version, id),
  },
);

/** Read-only: the packages that name this one as incompatible. */
export const accessPackagesIncompatibleWithNavigation: Navigation = linked(() => accessPackages, 'accessPackages', {
  collection: LINKS,
  from: 'incompatibleAccessPackageId',
  to: 'accessPackageId',
});

export const incompatibleGroupsNavigation: Navigation = {
  target: () => incompatibleGroups,
  many: true,
  scope: (record) => ({ collection: LINKS, where: (link) => link['accessPackageId'] === record['id'] && link['incompatibleGroupId'] !== null }),
  batch: (records, store) => {
    const byId = new Map<unknown, Row[]>(records.map((r) => [r['id'], []]));
    for (const link of links(store)) if (link['incompatibleGroupId'] !== null) byId.get(link['accessPackageId'])?.push(link);
    return new Map(records.map((r) => [r, byId.get(r['id'])!]));
  },
  // A key that is no GUID is the 400 of every other item path (keys.ts storedId), not a 404.
  find: (accessPackage, key, store) => linkOf(store, accessPackage['id'], 'incompatibleGroupId', storedId(incompatibleGroups, key)),
  addRef: addLink('incompatibleGroupId'),
  removeRef: removeLink('incompatibleGroupId'),
  removeRefNamed: removeLinkNamed('incompatibleGroupId'),
  refUrl: (id, version) => linkUrl('groups', version, id),
};

/** Every link that names a package, either side: they go when the package goes. */
export function linkRemovalsOf(store: Store, accessPackageId: unknown): RecordChange[] {
  return removalsWhere(store, LINKS, (l) => l['accessPackageId'] === accessPackageId || l['incompatibleAccessPackageId'] === accessPackageId);
}
