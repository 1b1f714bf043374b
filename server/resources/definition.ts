// What a resource declares to be served: one object per resource folder, listed in registry.ts. The
// generic parts (handlers.ts, list.ts, views.ts, inbound.ts, outbound.ts) read everything else from the
// resource's JSON Schema (fixtures/<type>.schema.json).
import type { CollectionName } from '../collections.js';
import type { Store } from '../store/types.js';

export type Operation = 'list' | 'get' | 'create' | 'update' | 'delete';

/** Whether an operation reads or writes, for the permission it needs. */
export const OPERATION_ACCESS: Readonly<Record<Operation, 'read' | 'write'>> = {
  list: 'read',
  get: 'read',
  create: 'write',
  update: 'write',
  delete: 'write',
};

/** The Graph permissions (delegated `scp` or application `roles`), any one of which lets a caller read, and write. */
export interface Permissions {
  readonly read: readonly string[];
  readonly write: readonly string[];
}

export type Row = Readonly<Record<string, unknown>>;

/** Reads one navigation property of a record, for $expand: an entity, null, or a collection. */
export type Expansion = (record: Row, store: Store) => unknown;

/** Shaping of a write beyond what the schema says (defaults, read-only and server-owned properties). */
export interface InboundShaping {
  /** Called on the new record after the schema-driven fill, with the request body. */
  created?(record: Record<string, unknown>, body: Readonly<Record<string, unknown>>): void;
  /** Called on the updated copy after the schema-driven merge, with the request body. */
  updated?(record: Record<string, unknown>, body: Readonly<Record<string, unknown>>): void;
}

export interface ResourceDefinition {
  /** The store's collection and the URL segment under /beta/identityGovernance/entitlementManagement. */
  readonly collection: CollectionName;
  /** The @odata.type the live service puts on single-entity bodies of this type, when it sends one. */
  readonly odataType?: string;
  /** Properties the live service filters and sorts on; the others answer InvalidFilter. */
  readonly queryable: readonly string[];
  /** Navigation properties $expand may name, and how each is read. */
  readonly expand: Readonly<Record<string, Expansion>>;
  /** What the collection and item URLs answer; another method is a 405 with Allow. */
  readonly operations: readonly Operation[];
  /** What a token must hold to read and to write; without it the answer is Graph's 403. */
  readonly permissions: Permissions;
  readonly inbound?: InboundShaping;
}
