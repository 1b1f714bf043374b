// What the readers of parsed JSON (request bodies, a $batch's items, data and journal files, fault rules) take as
// an object: not null, not an array. One test, so that no reader lets an array through where another would not.

/** Whether a parsed JSON value is an object (not null, not an array). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
