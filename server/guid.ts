// What a GUID is wherever the emulator reads one: a key in a URL, a catalog, group or question id in a body, a
// stored record's link, an OAuth tenant, a $filter literal. OData's Edm.Guid literal: 8-4-4-4-12 hex digits, in
// either case, with no braces (guidValue in https://docs.oasis-open.org/odata/odata/v4.01/os/abnf/odata-abnf-construction-rules.txt).

/** The pattern's text, for a larger pattern that takes a GUID among other forms; use it with the `i` flag. */
export const GUID_PATTERN = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

const WHOLE_GUID = new RegExp(`^${GUID_PATTERN}$`, 'i');

/** Whether the whole text is a GUID. */
export function isGuid(text: string): boolean {
  return WHOLE_GUID.test(text);
}
