// The `@odata.context` of an expanded navigation that contains its target (`ContainsTarget="true"` in the version's
// CSDL): written just before its value in an answer, naming the path to it through its parent, with the nested
// level's own $select and $expand in parentheses as a request's context writes them and `/$entity` for a
// single-valued one: `…#identityGovernance/entitlementManagement/accessPackageCatalogs('c')/accessPackageResourceRoles('r')/accessPackageResource/$entity`,
// as Graph's example shows it (https://learn.microsoft.com/graph/api/accesspackagecatalog-list-accesspackageresourceroles?view=graph-rest-beta)
// and OData's writer makes it (odata.net ODataJsonWriter.StartNestedResourceInfoWithContent, for a contained
// navigation source, with ODataLibraryCompatibility.WriteODataContextAnnotationForNavProperty, below OData 4.01; the
// path is ODataWriterCore's: a collection's key follows its path, a single-valued navigation's does not). A
// navigation that does not contain its target (a package's catalog, its incompatible packages) has none, nor
// anything expanded below it: OData knows no navigation source there. render.ts writes them as it expands.
import type { NestedOptions } from '../odata/queryOptions.js';
import type { MutableRow, Row } from './definition.js';
import { annotationSize } from './expansionSize.js';
import { contextUrl, keyed } from './outbound.js';
import type { NavigationView, TypeView } from './views.js';

/**
 * Where the records of a level are read, relative to entitlement management (`accessPackages`,
 * `accessPackages('p')/accessPackageResourceRoleScopes`): each record's own path is the path with its key when
 * `keyed` (a collection), the path itself otherwise (a single-valued navigation). Absent where OData knows no path
 * for them (below a navigation that does not contain its target, a function's answer): then their contained
 * expansions carry no context either.
 */
export interface Placement {
  readonly path: string;
  readonly keyed: boolean;
}

/** The placement of each record of a level: its own base path, and whether its key follows (one for the level). */
export interface LevelPaths {
  readonly bases: readonly string[];
  readonly keyed: boolean;
}

/** The paths of `count` records read at one placement. */
export function levelPaths(at: Placement | undefined, count: number): LevelPaths | undefined {
  return at && { bases: Array.from({ length: count }, () => at.path), keyed: at.keyed };
}

/**
 * The path of each record's navigation `name`, where the records are placed and the navigation contains its target;
 * undefined where OData writes no context for it.
 */
export function navigationPaths(at: LevelPaths | undefined, nav: NavigationView, rows: readonly Row[], name: string): string[] | undefined {
  if (at === undefined || !nav.contained()) return undefined;
  return rows.map((row, i) => `${at.keyed ? keyed(at.bases[i]!, row['id']) : at.bases[i]!}/${name}`);
}

/**
 * Writes the context of `row`'s expanded navigation `name` at `path` before its value (set after this), and answers
 * the characters it adds. A $select that named the navigation put its key first, so it is moved after the annotation.
 */
export function writeContext(row: MutableRow, view: TypeView, nav: NavigationView, name: string, path: string, nested: NestedOptions): number {
  const context = contextUrl(view.version, path, { select: nested.select, expand: nested.expand }, !nav.navigation.many);
  if (name in row) delete row[name];
  row[`${name}@odata.context`] = context;
  return annotationSize(name, context);
}
