// The names under which a request carries what grants access, shared by what the journal takes out of a request
// (journalSecrets.ts) and of its answer (journalAnswer.ts), so both read a name the same way.
import { percentDecoded } from '../urlText.js';

/** OAuth's names for what grants access (RFC 6749, RFC 7521, RFC 7523; ROPC's password), compared in lower case. */
const SECRET_NAMES = new Set(['access_token', 'refresh_token', 'id_token', 'client_secret', 'client_assertion', 'assertion', 'password']);

/** Whether a name, decoded, is a secret's (surrounding spaces and case ignored). */
export function isSecretName(name: string): boolean {
  return SECRET_NAMES.has(name.trim().toLowerCase());
}

/** A `name=value` pair's name decoded; '' when it does not decode (no secret's name holds a `%`). */
export function decodedName(pair: string): string {
  return percentDecoded(pair.split('=', 1)[0]!.replace(/\+/g, ' ')) ?? '';
}

/** Whether a query's `name=value` pair names a secret and has a value. */
export function isSecretPair(pair: string): boolean {
  return pair.includes('=') && isSecretName(decodedName(pair));
}
