// GET /beta/$metadata and /v1.0/$metadata: the CSDL of what the emulator implements, so contract tools and code
// generators can read it. Generated from the excerpts the resource schemas come from (fixtures/csdl/), read and
// written back as XML without their comments. Like Graph's, the document needs no token (it is served before the
// auth step); it is OData's CSDL XML (`application/xml`), the only format offered: another `$format` is 406.
// http://docs.oasis-open.org/odata/odata-csdl-xml/v4.01/odata-csdl-xml-v4.01.html
import type { NextFunction, Request, Response } from 'express';
import { GraphError } from '../graphErrors.js';
import { endAnswer } from '../graphWire.js';
import { API_VERSIONS, type ApiVersion, csdlModel } from '../metadata/csdl.js';
import { serializeXml } from '../metadata/xmlTree.js';
import { readOptions } from '../odata/queryOptions.js';
import { unreservedDecoded } from '../urlText.js';

const documents = new Map<ApiVersion, string>();

/** The version's document, written once. */
function metadataXml(version: ApiVersion): string {
  let text = documents.get(version);
  if (text === undefined) {
    text = serializeXml(csdlModel(version).document);
    documents.set(version, text);
  }
  return text;
}

const PATHS = new Map(API_VERSIONS.map((version) => [`/${version}/$metadata`.toLowerCase(), version] as const));
/** Every request passes this step: a path that does not end in `$metadata` is let through without a copy. */
const ENDS_IN_METADATA = /\$metadata\/?$/i;

export function metadataDocument() {
  return function metadata(req: Request, res: Response, next: NextFunction): void {
    const path = unreservedDecoded(req.path);
    const version = ENDS_IN_METADATA.test(path) ? PATHS.get(path.toLowerCase().replace(/\/$/, '')) : undefined;
    if (version === undefined) return next();
    // A known resource with another method is 405 with Allow, as every path the routes serve
    // (https://learn.microsoft.com/graph/errors: 405); the document is read-only.
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      throw GraphError.of('methodNotAllowed', `The HTTP method '${req.method}' is not allowed for the requested resource.`, { Allow: 'GET, HEAD' });
    }
    const format = readOptions(req.originalUrl).values.get('format');
    if (format !== undefined && !/^(xml|application\/xml)$/i.test(format.trim())) {
      throw GraphError.of('notAcceptable', `The $format '${format}' is not supported for $metadata; use xml.`);
    }
    res.status(200).setHeader('Content-Type', 'application/xml;charset=utf-8');
    res.setHeader('OData-Version', '4.0');
    endAnswer(res, metadataXml(version));
  };
}
