// Tokens for tests: unsigned JWTs with any claims (AUTH=bearer reads them without a signature), and the
// parts of a token read back.
export const READ = 'EntitlementManagement.Read.All';
export const READ_WRITE = 'EntitlementManagement.ReadWrite.All';

const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JWT with these claims and no signature (`alg: none`), as a forger or a hand-made test token has. */
export function unsignedJwt(claims: object): string {
  return `${part({ typ: 'JWT', alg: 'none' })}.${part(claims)}.`;
}

export function bearer(token: string): { Authorization: string } {
  return { Authorization: `Bearer ${token}` };
}

function decoded(token: string, index: number): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[index]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

export const headerOf = (token: string) => decoded(token, 0);
export const claimsOf = (token: string) => decoded(token, 1);

export const nowSeconds = (): number => Math.floor(Date.now() / 1000);
