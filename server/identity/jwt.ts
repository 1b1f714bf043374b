// JSON Web Tokens in their compact form (RFC 7519), RS256 only (RFC 7518 §3.3), with Node's crypto: the
// claims of any JWT read without a check, and the emulator's own tokens signed and verified.
import { type KeyObject, sign, verify } from 'node:crypto';

export type Claims = Readonly<Record<string, unknown>>;

function jsonObjectOf(part: string | undefined): Claims | null {
  if (part === undefined || part === '') return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Claims) : null;
  } catch {
    return null;
  }
}

// A part of a compact JWT: base64url without padding (RFC 7515 §2). Node's decoder skips any other character
// (`=`, `+`, `/`, `!`), so a signature with text appended or swapped would otherwise still verify.
const BASE64URL = /^[A-Za-z0-9_-]*$/;

interface CompactJwt {
  parts: readonly string[];
  header: Claims;
  claims: Claims;
}

/**
 * A token as Graph's token parser reads it: three base64url parts, the header and the payload JSON objects;
 * null for any other (80049217, "CompactToken parsing failed"). The one reading of what a JWT is: AUTH=bearer
 * reads the claims of these and no others, AUTH=strict refuses the others (docs/identity.md).
 */
function compactJwt(token: string): CompactJwt | null {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts.every((part) => BASE64URL.test(part))) return null;
  const header = jsonObjectOf(parts[0]);
  const claims = jsonObjectOf(parts[1]);
  return header === null || claims === null ? null : { parts, header, claims };
}

/** The claims of a JWT, whatever its signature; null for any other token. */
export function decodeClaims(token: string): Claims | null {
  return compactJwt(token)?.claims ?? null;
}

const encode = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

export function signJwt(header: Record<string, unknown>, claims: Record<string, unknown>, privateKey: KeyObject): string {
  const signingInput = `${encode({ ...header, alg: 'RS256' })}.${encode(claims)}`;
  return `${signingInput}.${sign('sha256', Buffer.from(signingInput), privateKey).toString('base64url')}`;
}

/**
 * `malformed`: not three base64url parts with a JSON header and payload (Graph's token parser refuses it);
 * `invalid`: any algorithm but RS256, or a signature this key did not make.
 */
export type SignatureVerdict = 'valid' | 'malformed' | 'invalid';

export function verifyJwt(token: string, publicKey: KeyObject): SignatureVerdict {
  const jwt = compactJwt(token);
  if (jwt === null) return 'malformed';
  const { parts, header } = jwt;
  // The algorithm is fixed here, never taken from the token: `none` or an HMAC keyed with the public key
  // are the classic forgeries.
  if (header['alg'] !== 'RS256') return 'invalid';
  const signature = Buffer.from(parts[2]!, 'base64url');
  return verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), publicKey, signature) ? 'valid' : 'invalid';
}
