// The names under which a request carries what grants access, shared by what the journal takes out of a request
// (journalSecrets.ts) and of its answer (journalAnswer.ts), so both read a name the same way.
import { percentDecoded } from '../urlText.js';

/** OAuth's names for what grants access (RFC 6749, RFC 7521, RFC 7523; ROPC's password), compared in lower case. */
const SECRET_NAMES = new Set(['access_token', 'refresh_token', 'id_token', 'client_secret', 'client_assertion', 'assertion', 'password']);

/** A trailing list or map index (`access_token[]`, `password[0]`), as query-string parsers (qs, PHP) read a name. */
const INDEXED = /\[[^\]]*\]$/;

/** Whether a name, decoded, is a secret's (surrounding spaces, case and a trailing `[…]` index ignored). */
export function isSecretName(name: string): boolean {
  const plain = name.trim().toLowerCase();
  return SECRET_NAMES.has(plain) || SECRET_NAMES.has(plain.replace(INDEXED, '').trim());
}

/**
 * A query or form text's `name=value` pairs with the separators between them, so that a text rejoined is the text
 * sent: `&`, and `#`, which no client sends in a target but a raw request line may hold (`?x=1#access_token=…`).
 */
export function pairsAndSeparators(text: string): string[] {
  return text.split(/([&#])/);
}

/** A `name=value` pair's name decoded; '' when it does not decode (no secret's name holds a `%`). */
export function decodedName(pair: string): string {
  return percentDecoded(pair.split('=', 1)[0]!.replace(/\+/g, ' ')) ?? '';
}

/** Whether a query's `name=value` pair names a secret and has a value. */
export function isSecretPair(pair: string): boolean {
  return pair.includes('=') && isSecretName(decodedName(pair));
}
