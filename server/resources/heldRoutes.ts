// The path of a navigation whose entities the record holds (a v1.0 policy's questions, Navigation.held):
// `…/assignmentPolicies/{id}/questions`, the collection with $filter, $orderby, $skip, $top, $count and $select, and
// `…/questions/{questionId}`, one of them. The entities are few and held in one record, so the collection is one
// page, never a nextLink (chosen: not documented); so a $skiptoken is none the service gave, refused as a list
// refuses a token it did not give.
// https://learn.microsoft.com/graph/api/resources/accesspackagequestion?view=graph-rest-1.0
import type { Request } from 'express';
import { GraphError } from '../graphErrors.js';
import { expansionBudgetOf, storeOf } from '../http/context.js';
import { sendOData } from '../http/successAnswers.js';
import { ordering } from '../odata/ordering.js';
import { INVALID_TOKEN } from '../odata/paging.js';
import { parseQueryOptions } from '../odata/queryOptions.js';
import type { Row } from './definition.js';
import { parseKey } from './keys.js';
import type { NavigationHandlers } from './navigationRoutes.js';
import { contextUrl, entityBody } from './outbound.js';
import { filterOf, renderRow, renderRows } from './render.js';
import type { NavigationView, TypeView } from './views.js';

export function heldHandlers(view: TypeView, nav: NavigationView, parentOf: (req: Request) => Row, pathOf: (parent: Row) => string): NavigationHandlers {
  const held = nav.navigation.held!;
  return {
    get(req, res) {
      const target = nav.view();
      const store = storeOf(req);
      const parent = parentOf(req);
      // A refused $search names the path's own collection (`questions`), not the holders' records'.
      const options = parseQueryOptions(req.originalUrl, target.scope, 'collection', nav.name);
      if (options.skiptoken !== undefined) throw GraphError.of('badRequest', INVALID_TOKEN);
      let rows = [...held(parent)];
      if (options.filter !== undefined) rows = rows.filter(filterOf(target, options.filter, store));
      if (options.orderby.length > 0) {
        const order = ordering(options.orderby, target.model);
        rows.sort((a, b) => order.compare(target.project(a, store), target.project(b, store)));
      }
      const count = rows.length;
      rows = rows.slice(options.skip, options.top === undefined ? undefined : options.skip + options.top);
      const body: Record<string, unknown> = { '@odata.context': contextUrl(view.version, pathOf(parent), options) };
      if (options.count) body['@odata.count'] = count;
      body['value'] = renderRows(target, rows, options, store, expansionBudgetOf(req));
      sendOData(res, 200, body);
    },
    itemGet(req, res) {
      const target = nav.view();
      const store = storeOf(req);
      const parent = parentOf(req);
      const options = parseQueryOptions(req.originalUrl, target.scope, 'entity', nav.name);
      const key = parseKey(String(req.params['key']), target.resource);
      // Ids are GUIDs the service gave; case ignored, as a PUT matches them.
      const found = key.property === 'id' ? held(parent).find((row) => String(row['id']).toLowerCase() === key.value.toLowerCase()) : undefined;
      if (!found) throw GraphError.of('notFound');
      const entity = renderRow(target, found, options, store, expansionBudgetOf(req));
      sendOData(res, 200, entityBody(target, entity, contextUrl(view.version, pathOf(parent), options, true)));
    },
  };
}
