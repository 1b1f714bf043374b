// The catalog of a package, named the ways real clients name it: `catalogId`, a nested
// `accessPackageCatalog: {id}` (Terraform's provider sends both on POST and PATCH, terraform-provider-azuread
// issue 1883), or `accessPackageCatalog@odata.bind`.
import type { InboundShaping } from '../definition.js';

function catalogIdFrom(body: Readonly<Record<string, unknown>>): string | undefined {
  const nested = body['accessPackageCatalog'];
  if (typeof nested === 'object' && nested !== null && typeof (nested as { id?: unknown }).id === 'string') {
    return (nested as { id: string }).id;
  }
  const bind = body['accessPackageCatalog@odata.bind'];
  if (typeof bind === 'string') return /accessPackageCatalogs\/([^/?#]+)/.exec(bind)?.[1];
  return undefined;
}

export const catalogFromBody: InboundShaping = {
  created(record, body) {
    if (record['catalogId'] === null) record['catalogId'] = catalogIdFrom(body) ?? null;
  },
  updated(record, body) {
    const catalogId = catalogIdFrom(body);
    if (catalogId !== undefined && !('catalogId' in body)) record['catalogId'] = catalogId;
  },
};
