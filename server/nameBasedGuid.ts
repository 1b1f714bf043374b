// A GUID made from a name, the same for the same name: a user's `oid` (identity/tokens.ts) and the id of a question
// loaded without one (tenantData/questionIds.ts) stay the same from one start, token or reset to the next.
import { createHash } from 'node:crypto';

/** A stable GUID for a name (the layout of a version 5 UUID: RFC 9562 §5.5). */
export function nameBasedGuid(name: string): string {
  const hash = createHash('sha1').update(name).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
