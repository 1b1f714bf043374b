// What a resource declares to be served: one object per resource folder, listed in registry.ts. The
// generic parts (handlers.ts, navigationRoutes.ts, list.ts, views.ts, inbound.ts, outbound.ts) read everything
// else from the resource's CSDL type and JSON Schema (fixtures/).
import type { Request, Response } from 'express';
import type { CollectionName } from '../collections.js';
import type { ApiVersion } from '../metadata/csdl.js';
import type { RecordChange, Store } from '../store/store.js';
import type { ListDeps } from './list.js';

export type Operation = 'list' | 'get' | 'create' | 'update' | 'replace' | 'delete';

/** Whether an operation reads or writes, for the permission it needs. */
export const OPERATION_ACCESS: Readonly<Record<Operation, Access>> = {
  list: 'read',
  get: 'read',
  create: 'write',
  update: 'write',
  replace: 'write',
  delete: 'write',
};

export type Access = 'read' | 'write';

/** The Graph permissions (delegated `scp` or application `roles`), any one of which lets a caller read, and write. */
export interface Permissions {
  readonly read: readonly string[];
  readonly write: readonly string[];
}

export type Row = Readonly<Record<string, unknown>>;
export type MutableRow = Record<string, unknown>;

/** Where related records are stored, and which of them a path or an $expand reaches. */
export interface RowScope {
  collection: CollectionName;
  where: (row: Row) => boolean;
}

/** What a handler of a resource is given besides the request. */
export interface ResourceContext {
  store: Store;
  version: ApiVersion;
  /** UPN of the caller, from the bearer token when it carries one. */
  caller: string | null;
  /**
   * For a function that answers a list (filterByCurrentUser): the lists' page size and base URL; for a create through
   * a navigation path, the base URL of its Location.
   */
  listDeps?: ListDeps;
}

/** A write through a navigation path ($ref, a contained entity); answers the response itself. */
export type NavigationWrite = (parent: Row, req: Request, res: Response, context: ResourceContext) => Promise<void>;

export interface Navigation {
  /** The resource the relationship leads to (a function, as resources name each other). */
  target(): ResourceDefinition;
  many: boolean;
  /** Single-valued: the related record, or null. */
  one?(record: Row, store: Store): Row | null;
  /** Collection-valued: the related records of one record. */
  scope?(record: Row, store: Store): RowScope;
  /** Collection-valued: the related records of many records in one pass over their collection ($expand on a page). */
  batch?(records: readonly Row[], store: Store): Map<Row, Row[]>;
  /**
   * Collection-valued and held in the record itself (a v1.0 policy's questions, stored as its beta questions): the
   * related entities, read by $expand and the path (heldRoutes.ts); they are written with the record.
   */
  held?(record: Row): readonly Row[];
  /** How a key under the path finds one of the related records (default: the stored id within the scope). */
  find?(parent: Row, key: string, store: Store): Row | undefined;
  /** POST to the path: a contained entity created under the record. */
  create?: NavigationWrite;
  /** DELETE of a related record through the path. */
  remove?: (parent: Row, related: Row, context: ResourceContext) => Promise<void>;
  /** POST …/$ref and DELETE …/{id}/$ref: links to existing entities. */
  addRef?: NavigationWrite;
  /** `key` as the URL writes it: `{id}`, `('{id}')`, `(uniqueName='…')`. */
  removeRef?: (parent: Row, key: string, context: ResourceContext) => Promise<void>;
  /** DELETE …/$ref?$id={url} (`@id` as Graph's SDKs write it): the link to the entity the URL names. */
  removeRefNamed?: NavigationWrite;
  /** GET …/$ref: the URL each linked entity is named by, the one POST …/$ref takes as `@odata.id`. */
  refUrl?: (id: string, version: ApiVersion) => string;
  /**
   * Collection-valued: the target's bound actions served under a related entity's path (`…/accessPackageResources/{id}/refresh`),
   * where Graph's pages call them; a path names its actions, so no other navigation gains one it was not asked for.
   */
  actions?: readonly string[];
}

/** A bound action (POST /{id}/name) or a collection-bound function (GET /name(params)). */
export interface Operation$ {
  access: Access;
  /**
   * When the operation's page lists its own permissions for signed-in users only (Application: Not supported):
   * those, granted by the token's delegated scopes (`scp`) alone, instead of the resource's for its access.
   */
  delegatedPermissions?: readonly string[];
  /** For an action: the record it is bound to; for a function: its parameters as written in the URL. */
  handler(target: Row | string, req: Request, res: Response, context: ResourceContext): void | Promise<void>;
}

/** Rules of the service beyond what the schema says, run around the generic writes. */
export interface ResourceRules {
  /** What a create needs written before it (a package's General catalog): may write, and refuse (GraphError). */
  preparing?(record: MutableRow, body: Row, context: ResourceContext): Promise<void>;
  /**
   * A new record before it is stored: may refuse it (GraphError) or complete it. Synchronous, inside the write
   * (Store.apply), `context.store` the store as the write reads it: nothing comes between its checks and the write.
   */
  creating?(record: MutableRow, body: Row, context: ResourceContext): void;
  /**
   * What a create writes with the new record, after `creating` and in the same write (a resource request's resource,
   * with its roles and scopes): no crash and no reader finds one without the other. May link the record to what it
   * writes (the request's resource).
   */
  alongside?(record: MutableRow, body: Row, context: ResourceContext): RecordChange[];
  /** An updated copy before it is stored; synchronous, inside the write, as `creating`. */
  updating?(record: MutableRow, existing: Row, body: Row, context: ResourceContext): void;
  /** A record about to be deleted: may refuse (GraphError). */
  deleting?(record: Row, context: ResourceContext): void;
  /**
   * What goes with a deleted record (contained entities, links), read from `store`: removed in the same write as
   * the record, so that no crash and no reader finds them without it (Store.apply).
   */
  dependants?(record: Row, store: Store): RecordChange[];
}

/** How the type looks in one API version, when it differs from how it is stored. */
export interface Surface {
  /** The entity set under /identityGovernance/entitlementManagement, when the type has one in this version. */
  entitySet?: string;
  /** The version's CSDL type name (default: the resource's). */
  typeName?: string;
  /** The version's navigation property names → the resource's (stored) navigation names. */
  navigation?: Readonly<Record<string, string>>;
  /**
   * Stored record → the version's form, when it renames or computes properties (default: the record with only the
   * properties of the version's type, which for the stored type is the record itself).
   */
  project?(record: Row, store: Store): Row;
  /**
   * The projection reads records of other collections (a group's name, from the catalog resource that is the group):
   * a write there changes what it shows without touching the record, so no index of the store can keep its order.
   */
  readsOtherRecords?: boolean;
  /** A request body of the version → the stored names and values, before validation. */
  inbound?(body: Row): MutableRow;
  /** What a create or PUT answers beside the entity for the contained navigations its body sent inline (deep insert). */
  inlined?(record: Row, sent: Row): Row;
  /** The version's schema for request bodies (default: the stored type's). */
  schema?: string;
  /** Properties the version filters and sorts on, by its own names (default: the resource's queryable). */
  queryable?: readonly string[];
  /** The `$filter` paths the version documents (default: the resource's): each version names its own navigation. */
  filterPaths?: Readonly<Record<string, string>>;
  /** The actions and functions the version binds (default: all of the resource's). */
  actions?: readonly string[];
  functions?: readonly string[];
}

export interface ResourceDefinition {
  /** The store's collection. */
  readonly collection: CollectionName;
  /** The CSDL entity type (beta). */
  readonly typeName: string;
  /** The @odata.type the live service puts on the answer to a create of this type, when it sends one (outbound.ts entityBody). */
  readonly odataType?: string;
  /** Properties the live service filters and sorts on; the others answer InvalidFilter. */
  readonly queryable: readonly string[];
  /** `$filter` paths Graph documents for this type, and the stored property each reads (`accessPackageResource/id`). */
  readonly filterPaths?: Readonly<Record<string, string>>;
  /** What the entity set and item URLs answer; another method is a 405 with Allow. */
  readonly operations: readonly Operation[];
  /** What a token must hold to read and to write; without it the answer is Graph's 403. */
  readonly permissions: Permissions;
  /** Relationships by their (beta) navigation property name: $expand and the paths under an item. */
  readonly navigation?: Readonly<Record<string, Navigation>>;
  /** Which navigation properties $expand may name (default: every declared one). */
  readonly expandable?: readonly string[];
  readonly actions?: Readonly<Record<string, Operation$>>;
  readonly functions?: Readonly<Record<string, Operation$>>;
  /** The alternate key, as in `accessPackages(uniqueName='…')`. */
  readonly alternateKey?: string;
  readonly rules?: ResourceRules;
  /** Per version: where and how the type is served. Beta is served as stored unless a surface says otherwise. */
  readonly surfaces: Partial<Record<ApiVersion, Surface>>;
}
