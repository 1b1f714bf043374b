// Emulator control endpoints under /_emulator/ (outside Graph's URL space): data, faults, tenants, health and
// the token endpoint. Who may call them: guard.ts.
import path from 'node:path';
import { perCollection } from '../collections.js';
import { Router } from 'express';
import type { FaultEngine } from '../faults/engine.js';
import type { SigningKey } from '../identity/signingKey.js';
import type { OriginPolicy } from '../http/originPolicy.js';
import type { FixtureChoice } from '../tenantData/sets.js';
import { PACKAGE_VERSION } from '../version.js';
import type { Store } from '../store/types.js';
import { faultsAdminRouter } from './faults.js';
import { dataAdminRouter } from './data.js';
import { tenantsAdminRouter } from './tenants.js';
import { tokenAdminRouter } from './token.js';
import { adminGuard } from './guard.js';

export interface AdminOptions {
  store: Store;
  faults: FaultEngine;
  /** The configured fixtures: what POST /_emulator/reset without a body restores. */
  fixtures: FixtureChoice;
  /** Signs the tokens POST /_emulator/token mints. */
  signingKey: SigningKey;
  /** Which browser origins may call the admin API. */
  origins: OriginPolicy;
  /** When set, every admin route but health needs it as a bearer token. */
  adminToken?: string;
  /** Tenants the store may hold (a reset of a new tenant adds one). */
  maxTenants: number;
}

export function adminRouter({ store, faults, fixtures, signingKey, origins, adminToken, maxTenants }: AdminOptions): Router {
  const router = Router();
  router.use(adminGuard(origins, adminToken));
  router.use(faultsAdminRouter(faults));
  router.use(dataAdminRouter({ store, fixtures, maxTenants }));
  router.use(tenantsAdminRouter(store));
  router.use(tokenAdminRouter(signingKey));
  router.get('/health', (_req, res) => {
    res.status(200).json({
      status: 'ok',
      version: PACKAGE_VERSION,
      // The file's name only: health is open even with ADMIN_TOKEN, and the machine's folders are nobody's business.
      store: path.basename(store.location),
      // The default tenant's; every tenant's are in GET /_emulator/tenants.
      records: perCollection((name) => store.count(name)),
      tenants: store.tenants.ids().length,
    });
  });
  return router;
}
