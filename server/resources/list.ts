// GET on a collection: $filter, $select, $orderby, $top, $skip, $count, $expand and server-driven paging.
// https://learn.microsoft.com/graph/api/entitlementmanagement-list-accesspackages?view=graph-rest-beta
// https://learn.microsoft.com/graph/paging
import type { Request, Response } from 'express';
import { sendOData } from '../http/graphHeaders.js';
import type { EntityModel } from '../odata/entityModel.js';
import { compileFilter } from '../odata/filterCompile.js';
import { parseFilter } from '../odata/filterParser.js';
import { selectPage } from '../odata/listPage.js';
import { ordering } from '../odata/ordering.js';
import { decodeSkipToken, encodeSkipToken, nextLink, preferredPageSize } from '../odata/paging.js';
import { parseQueryOptions } from '../odata/queryOptions.js';
import type { Store } from '../store/types.js';
import type { ResourceDefinition, Row } from './definition.js';
import { collectionContext, collectionPath, serverBaseUrl } from './outbound.js';
import { recordView } from './views.js';

export interface ListOptions {
  resource: ResourceDefinition;
  store: Store;
  model: EntityModel;
  /** Navigation properties $expand may name (the resource's, as one array for the query parser's cache). */
  expandable: readonly string[];
  baseUrl?: string;
  pageSize: number;
}

export function listHandler({ resource, store, model, expandable, baseUrl, pageSize: defaultPageSize }: ListOptions) {
  const { collection } = resource;
  return (req: Request, res: Response): void => {
    const options = parseQueryOptions(req.originalUrl, model, expandable);
    const predicate = options.filter === undefined ? undefined : compileFilter(parseFilter(options.filter), model);
    const order = options.orderby.map((k) => `${k.property} ${k.descending ? 'desc' : 'asc'}`).join(',');
    const cursor = options.skiptoken === undefined ? undefined : decodeSkipToken(options.skiptoken, order);
    // $top wins over the Prefer header; a followed nextLink keeps the size its token was issued with.
    const preferred = preferredPageSize(req.get('Prefer'));
    const pageSize = options.top ?? preferred ?? cursor?.pageSize ?? defaultPageSize;

    // Past the last record the order cannot matter: the page is empty, found by one scan (for $count) instead of a sort.
    const pastTheEnd = cursor === undefined && options.skip >= store.count(collection);
    const page = selectPage(store, collection, {
      predicate,
      ordering: options.orderby.length > 0 && !pastTheEnd ? ordering(options.orderby, model) : undefined,
      cursor,
      skip: options.skip,
      pageSize,
      count: options.count,
    });

    const body: Record<string, unknown> = { '@odata.context': collectionContext(collection, options.select) };
    if (page.count !== undefined) body['@odata.count'] = page.count;
    if (page.next) {
      const token = encodeSkipToken({ ...page.next, order, pageSize });
      body['@odata.nextLink'] = nextLink(serverBaseUrl(req, baseUrl), collectionPath(collection), options.rawPairs, token);
    }
    body['value'] = page.items.map((r) => recordView(resource, r as unknown as Row, options, store));
    if (options.top === undefined && preferred !== undefined) res.setHeader('Preference-Applied', `odata.maxpagesize=${preferred}`);
    sendOData(res, 200, body);
  };
}
