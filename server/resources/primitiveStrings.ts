// A JSON string sent for an Edm.Boolean or Edm.Int32 property, read as Graph's OData reader reads it: Microsoft.OData.Core
// converts a string payload value to the property's primitive type (ODataPayloadValueConverter.ConvertFromPayloadValue →
// ConvertStringValue, "For string types, we support conversion to all possible primitive types": .NET's
// Convert.ChangeType with the invariant culture), so `"true"` is true and `"1"` is 1, as Graph's v1.0 policy create
// page sends them (example 4). Boolean.Parse takes "true"/"false" in any case with white space or NULs around; Int32.Parse
// (NumberStyles.Integer) digits with an optional sign and ASCII white space around, then any NULs, within the Int32 range. A string that
// does not convert stays a string, refused by the schema as before. Int64 and the other types are left alone.
// https://github.com/OData/odata.net/blob/main/src/Microsoft.OData.Core/ODataPayloadValueConverter.cs
import type { JsonSchema } from '../jsonSchema.js';

type Node = Record<string, unknown>;

// .NET's white space for NumberStyles.Integer: tab, line feed, vertical tab, form feed, return, space.
const isWhite = (code: number): boolean => code === 0x20 || (code >= 0x09 && code <= 0x0d);
// Boolean.Parse trims more (Boolean.TrimWhiteSpaceAndNull): char.IsWhiteSpace, the Unicode separators (Zs, Zl, Zp),
// the controls tab to return and U+0085, and NUL. U+FEFF is no white space to .NET, though it is to JavaScript's \s.
// https://github.com/dotnet/runtime/blob/main/src/libraries/System.Private.CoreLib/src/System/Boolean.cs
const UNICODE_WHITE = new Set([0x00, 0x85, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000]);
const isBooleanWhite = (code: number): boolean => isWhite(code) || UNICODE_WHITE.has(code) || (code >= 0x2000 && code <= 0x200a);

/**
 * The text without the white space `isWhite` names at either end, in one pass over each end: a regular expression
 * such as /^\s+|\s+$/ tries its second branch from every position of an inner run, and a 100 KB body holding
 * "x", 100,000 spaces and "x" for a Boolean held the event loop 5 s (a 1 MB one minutes).
 */
function trimmed(text: string, white: (code: number) => boolean): string {
  let start = 0;
  let end = text.length;
  while (start < end && white(text.charCodeAt(start))) start += 1;
  while (end > start && white(text.charCodeAt(end - 1))) end -= 1;
  return text.slice(start, end);
}
const INT32_MAX = 2_147_483_647;

function types(node: Node): readonly unknown[] {
  const type = node['type'];
  return Array.isArray(type) ? type : [type];
}

/** A string as the primitive type the node declares, or the string itself when it does not convert. */
function converted(text: string, node: Node): unknown {
  const declared = types(node);
  if (declared.includes('string')) return text;
  if (declared.includes('boolean')) {
    const lower = trimmed(text, isBooleanWhite).toLowerCase();
    return lower === 'true' ? true : lower === 'false' ? false : text;
  }
  // .NET's number parser ignores NULs at the very end (Number.TrailingZeros): "30\0" is 30, "30\0 " is no number.
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0) end -= 1;
  const bare = trimmed(text.slice(0, end), isWhite);
  if (declared.includes('integer') && node['maximum'] === INT32_MAX && /^[+-]?\d+$/.test(bare)) {
    const value = Number(bare);
    return value >= -INT32_MAX - 1 && value <= INT32_MAX ? value : text;
  }
  return text;
}

/** The definition a node refers to (`$ref`, or the `$ref` of a nullable `anyOf`), else the node itself. */
function resolved(node: Node, definitions: Record<string, Node>): Node {
  const ref = node['$ref'] ?? (node['anyOf'] as Node[] | undefined)?.find((n) => typeof n['$ref'] === 'string')?.['$ref'];
  return typeof ref === 'string' ? (definitions[ref.replace('#/definitions/', '')] ?? node) : node;
}

function convertedValue(value: unknown, node: Node | undefined, definitions: Record<string, Node>): unknown {
  if (node === undefined) return value;
  if (Array.isArray(value)) {
    const items = node['items'] as Node | undefined;
    if (items === undefined) return value;
    const list = value.map((item) => convertedValue(item, items, definitions));
    return list.every((item, i) => item === value[i]) ? value : list;
  }
  if (typeof value === 'string') return converted(value, node);
  if (typeof value !== 'object' || value === null) return value;
  const properties = resolved(node, definitions)['properties'] as Record<string, Node> | undefined;
  return properties === undefined ? value : convertedObject(value as Node, properties, definitions);
}

/** The object itself when nothing in it converts (most bodies), else a copy with what converts converted. */
function convertedObject(value: Node, properties: Record<string, Node>, definitions: Record<string, Node>): Node {
  const entries = Object.entries(value).map(([name, item]) => [name, convertedValue(item, properties[name], definitions)] as const);
  return entries.every(([name, item]) => item === value[name]) ? value : Object.fromEntries(entries);
}

/** The body with each string sent for a Boolean or Int32 property, at any depth, converted as Graph's reader does. */
export function withPrimitiveStrings(schema: JsonSchema, body: Node): Node {
  const definitions = (schema['definitions'] ?? {}) as Record<string, Node>;
  return convertedObject(body, (schema['properties'] ?? {}) as Record<string, Node>, definitions);
}
