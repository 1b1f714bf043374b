// Emulator control endpoints under /_emulator/ (outside Graph's URL space, no auth).
import { Router } from 'express';
import type { FaultEngine } from '../faults/engine.js';
import { PACKAGE_VERSION } from '../version.js';
import type { Store } from '../store/types.js';
import { faultsAdminRouter } from './adminFaults.js';

export interface AdminOptions {
  store: Store;
  faults: FaultEngine;
}

export function adminRouter({ store, faults }: AdminOptions): Router {
  const router = Router();
  router.use(faultsAdminRouter(faults));
  router.get('/_emulator/health', (_req, res) => {
    res.status(200).json({
      status: 'ok',
      version: PACKAGE_VERSION,
      store: store.location,
      records: { accessPackages: store.count('accessPackages'), accessPackageCatalogs: store.count('accessPackageCatalogs') },
    });
  });
  return router;
}
