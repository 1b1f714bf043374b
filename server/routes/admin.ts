// Emulator control endpoints under /_emulator/ (outside Graph's URL space, no auth).
import { Router } from 'express';
import { PACKAGE_VERSION } from '../version.js';
import type { Store } from '../store/types.js';

export interface AdminOptions {
  store: Store;
}

export function adminRouter({ store }: AdminOptions): Router {
  const router = Router();
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
