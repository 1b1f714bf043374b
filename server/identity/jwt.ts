// JSON Web Tokens in their compact form (RFC 7519): the claims of any JWT, read without a check.

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

/** The claims of a JWT, whatever its signature; null for any other token. */
export function decodeClaims(token: string): Claims | null {
  return jsonObjectOf(token.split('.')[1]);
}
