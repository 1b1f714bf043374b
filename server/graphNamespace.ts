// Graph's one schema namespace, as it qualifies a bound operation in a URL (`…/microsoft.graph.moveToCatalog`), a
// type (`#microsoft.graph.accessPackage`) or an enum literal. OData lets any bound operation be called qualified,
// and Graph's generated SDKs always call them that way; matched without regard to case, as Graph's URLs are.
// http://docs.oasis-open.org/odata/odata/v4.01/odata-v4.01-part2-url-conventions.html#sec_InvokinganAction
export const GRAPH_NAMESPACE = 'microsoft.graph';

const QUALIFIED = /^microsoft\.graph\./i;

/** The name after Graph's namespace (`moveToCatalog` of `microsoft.graph.moveToCatalog`), or undefined when unqualified. */
export function withoutGraphNamespace(name: string): string | undefined {
  return QUALIFIED.test(name) ? name.slice(GRAPH_NAMESPACE.length + 1) : undefined;
}
