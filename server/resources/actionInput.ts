// What a request to a bound action may carry, read before its handler runs, for every action alike.
// - The body holds the action's parameters as the version's CSDL declares them (fixtures/csdl/, the document
//   GET /{version}/$metadata serves), so what is accepted is what $metadata says. Graph's OData parameter reader
//   (Microsoft.OData.Core) refuses a parameter the action does not declare, in the words below
//   (ODataParameterReaderCore_ParameterNameNotInMetadata), and a value it cannot convert to the parameter's type;
//   instance annotations (`@odata.*`) are no parameters. No body is no parameters.
//   A body that is not a JSON object is entitlement management's 400 InvalidModel "Model is not valid.", as for a
//   create (chosen: not documented for actions).
// - The query string takes no system query option: an action answers all it has in one response, with nothing
//   to select, filter, sort or page (chosen: not documented). An unknown `$` option is refused as lists refuse it;
//   a known one, naming the operation; `$format` is let through as lists let it through.
//   https://learn.microsoft.com/graph/api/accesspackage-getapplicablepolicyrequirements?view=graph-rest-beta
import { GraphError } from '../graphErrors.js';
import { isGraphDateTime } from '../graphTime.js';
import { type ApiVersion, allProperties, csdlModel, typeRef } from '../metadata/csdl.js';
import { readOptions } from '../odata/queryOptions.js';
import { checkBodyType } from './bodyType.js';
import type { Row } from './definition.js';
import { literalRefused, unknownProperty } from './validation.js';

/** The JSON values each Edm type of a parameter takes (null aside: whether one is allowed is the action's to say). */
const EDM_VALUES: Record<string, (value: unknown) => boolean> = {
  'Edm.String': (value) => typeof value === 'string',
  // As a create reads one (graphTime.ts): Date.parse alone takes '1' for a date.
  'Edm.DateTimeOffset': (value) => typeof value === 'string' && isGraphDateTime(value),
};

/** Throws in Graph's words when the value cannot be read as the declared type, a structured one property by property. */
function checkValue(name: string, value: unknown, type: string, version: ApiVersion): void {
  if (value === null) return;
  const edm = EDM_VALUES[type];
  if (edm !== undefined) {
    if (!edm(value)) throw GraphError.of('badRequest', literalRefused(name, value, type));
    return;
  }
  const { name: typeName, collection } = typeRef(type);
  const model = csdlModel(version);
  // A collection, an enum or another primitive type (no action declares one yet) is left to the handler to read.
  if (collection || !['EntityType', 'ComplexType'].includes(model.types.get(typeName)?.kind ?? '')) return;
  const qualified = `microsoft.graph.${typeName}`;
  if (typeof value !== 'object' || Array.isArray(value)) throw GraphError.of('badRequest', literalRefused(name, value, qualified));
  // Its @odata.type names the parameter's type or one derived from it, as a create's body must (bodyType.ts).
  checkBodyType(value as Row, qualified, version);
  const properties = allProperties(model, typeName).filter((p) => !p.navigation);
  for (const [key, inner] of Object.entries(value)) {
    if (key.startsWith('@odata.')) continue;
    const property = properties.find((p) => p.name === key);
    if (property === undefined) throw GraphError.of('badRequest', unknownProperty(key, qualified));
    checkValue(key, inner, property.type, version);
  }
}

/** The action's parameters from the request body: an empty set for no body; throws on what the CSDL does not allow. */
export function actionParameters(body: unknown, action: string, version: ApiVersion): Row {
  if (body === undefined) return {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw GraphError.of('invalidModel');
  const declared = csdlModel(version).actions.get(action) ?? [];
  for (const [name, value] of Object.entries(body)) {
    if (name.startsWith('@odata.')) continue;
    const parameter = declared.find((p) => p.name === name);
    if (parameter === undefined)
      throw GraphError.of('badRequest', `The parameter '${name}' in the request payload is not a valid parameter for the operation '${action}'.`);
    checkValue(name, value, parameter.type, version);
  }
  return body as Row;
}

/** Throws when the URL carries a system query option. */
export function refuseQueryOptions(originalUrl: string, action: string): void {
  if (!originalUrl.includes('?')) return;
  const named = [...readOptions(originalUrl).values.keys()].find((name) => name !== 'format');
  if (named !== undefined) throw GraphError.of('badRequest', `The query parameter '$${named}' is not supported for the operation '${action}'.`);
}
