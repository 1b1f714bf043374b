// POST /_emulator/token: a signed access token for Graph without Entra ID, for tests and compose stacks.
// Body (all optional): {"tid", "oid", "upn", "scp", "roles", "expiresIn", "aud", "appid"}; answer
// {"access_token", "token_type": "Bearer", "expires_in"}, as an OAuth token endpoint answers. No query parameter:
// the body's tid names the tenant, and a ?tenant= is a 400 rather than a token of the default tenant.
import { Router } from 'express';
import { jsonBody } from '../http/jsonBody.js';
import type { SigningKey } from '../identity/signingKey.js';
import { mintAccessToken, parseTokenRequest } from '../identity/tokens.js';
import { noQuery } from './noQuery.js';

/** A body at most (docs/security.md#bounded-work-per-request): every field at its longest fits many times over. */
export const TOKEN_BODY_LIMIT = 64 * 1024;

export function tokenAdminRouter(signingKey: SigningKey): Router {
  const router = Router();
  router.post('/token', noQuery, jsonBody(TOKEN_BODY_LIMIT), async (req, res) => {
    // A TokenRequest error is a 400 naming the field (identity/tokens.ts). No body is every default; a body of
    // JSON null is no object, refused as mintToken(null) is, not a token of the default tenant in a worker's place.
    const request = parseTokenRequest(req.body === undefined ? {} : req.body);
    const { accessToken, expiresIn } = mintAccessToken(await signingKey.load(), request);
    res.status(200).json({ access_token: accessToken, token_type: 'Bearer', expires_in: expiresIn });
  });
  return router;
}
