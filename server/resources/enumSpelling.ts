// How v1.0 spells the enum members beta keeps as plain strings: camel case (`published`, `userManaged`, `adminAdd`)
// where beta writes `Published`, `UserManaged`, `AdminAdd`. Each v1.0 surface reads and writes them through these.
// https://learn.microsoft.com/graph/api/resources/accesspackagecatalog?view=graph-rest-1.0

/** A beta value as v1.0 writes it; anything not a string is left as it is. */
export const camel = (value: unknown): unknown => (typeof value === 'string' ? value.charAt(0).toLowerCase() + value.slice(1) : value);

/** A v1.0 value as beta keeps it; anything not a string is left as it is. */
export const pascal = (value: unknown): unknown => (typeof value === 'string' ? value.charAt(0).toUpperCase() + value.slice(1) : value);
