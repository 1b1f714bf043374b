// Graph's one schema namespace, as it qualifies a bound operation in a URL (`…/microsoft.graph.moveToCatalog`), a
// type (`#microsoft.graph.accessPackage`) or an enum literal. OData lets any bound operation be called qualified,
// and Graph's generated SDKs always call them that way; matched without regard to case, as Graph's URLs are.
// http://docs.oasis-open.org/odata/odata/v4.01/odata-v4.01-part2-url-conventions.html#sec_InvokinganAction
export const GRAPH_NAMESPACE = 'microsoft.graph';

/** The alias $metadata declares for the namespace (`Alias="graph"`), which qualifies a name as the namespace does. */
export const GRAPH_ALIAS = 'graph';

const QUALIFIED = /^(?:microsoft\.)?graph\./i;

/**
 * The name after Graph's namespace or its alias (`moveToCatalog` of `microsoft.graph.moveToCatalog` and of
 * `graph.moveToCatalog`), or undefined when unqualified.
 * http://docs.oasis-open.org/odata/odata/v4.01/odata-v4.01-part2-url-conventions.html#sec_BoundOperations
 */
export function withoutGraphNamespace(name: string): string | undefined {
  const qualifier = QUALIFIED.exec(name);
  return qualifier === null ? undefined : name.slice(qualifier[0].length);
}
