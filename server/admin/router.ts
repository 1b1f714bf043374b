// Emulator control endpoints under /_emulator/ (outside Graph's URL space, no auth): data, faults, health
// and the token endpoint.
import { perCollection } from '../collections.js';
import { Router } from 'express';
import type { FaultEngine } from '../faults/engine.js';
import type { SigningKey } from '../identity/signingKey.js';
import type { FixtureChoice } from '../tenantData/sets.js';
import { PACKAGE_VERSION } from '../version.js';
import type { Store } from '../store/types.js';
import { faultsAdminRouter } from './faults.js';
import { dataAdminRouter } from './data.js';
import { tokenAdminRouter } from './token.js';

export interface AdminOptions {
  store: Store;
  faults: FaultEngine;
  /** The configured fixtures: what POST /_emulator/reset without a body restores. */
  fixtures: FixtureChoice;
  /** Signs the tokens POST /_emulator/token mints. */
  signingKey: SigningKey;
}

export function adminRouter({ store, faults, fixtures, signingKey }: AdminOptions): Router {
  const router = Router();
  router.use(faultsAdminRouter(faults));
  router.use(dataAdminRouter({ store, fixtures }));
  router.use(tokenAdminRouter(signingKey));
  router.get('/health', (_req, res) => {
    res.status(200).json({
      status: 'ok',
      version: PACKAGE_VERSION,
      store: store.location,
      records: perCollection((name) => store.count(name)),
    });
  });
  return router;
}
