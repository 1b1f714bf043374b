// Emulator control endpoints under /_emulator/ (outside Graph's URL space): data, baselines, faults, tenants, the
// request journal, health, the token endpoint and the admin page. Who may call them: guard.ts. A path none of them
// serves is a 404 here, never handed on to the Graph routes (whose bearer check would answer a confusing 401).
import path from 'node:path';
import { perCollection } from '../collections.js';
import { type NextFunction, type Request, type RequestHandler, type Response, Router } from 'express';
import type { FaultEngine } from '../faults/engine.js';
import type { SigningKey } from '../identity/signingKey.js';
import type { OriginPolicy } from '../http/originPolicy.js';
import type { FixtureChoice } from '../tenantData/sets.js';
import { PACKAGE_VERSION } from '../version.js';
import type { Store } from '../store/store.js';
import { faultsAdminRouter } from './faults.js';
import { dataAdminRouter } from './data.js';
import { snapshotsAdminRouter } from './snapshots.js';
import { tenantsAdminRouter } from './tenants.js';
import { tokenAdminRouter } from './token.js';
import { requestsAdminRouter } from './requests.js';
import type { RequestJournal } from '../http/requestJournal.js';
import { adminGuard } from './guard.js';
import { pageRouter } from './page.js';
import { GraphError } from '../graphErrors.js';
import { ADMIN_PATH, isAdminPath } from '../adminPath.js';

interface AdminOptions {
  store: Store;
  faults: FaultEngine;
  /** The configured fixtures: what POST /_emulator/reset without a body restores. */
  fixtures: FixtureChoice;
  /** Signs the tokens POST /_emulator/token mints. */
  signingKey: SigningKey;
  /** Which browser origins may call the admin API. */
  origins: OriginPolicy;
  /** When set, every admin route but health and the admin page needs it as a bearer token. */
  adminToken?: string;
  /** The request journal /_emulator/requests reads; undefined when it is off. */
  journal?: RequestJournal;
  /** Tenants the store may hold (a reset of a new tenant adds one). */
  maxTenants: number;
}

/** The admin page's paths under /_emulator (page.ts), in any case, as its router matches them. */
const PAGE_PATH = /^\/(?:ui(?:\/.*)?)?$/i;

export function adminRouter({ store, faults, fixtures, signingKey, origins, adminToken, journal, maxTenants }: AdminOptions): Router {
  const router = Router();
  router.use(adminGuard(origins, adminToken));
  let routes: RouteLayer[] | undefined;
  const notServed = (req: Request): never => {
    // A path one of the routes serves, with another method (GET /_emulator/reset): a 405 naming the methods it
    // takes, as Graph answers a known resource (https://learn.microsoft.com/graph/errors), not a 404.
    routes ??= routeLayers(router as unknown as RouterLike);
    const allowed = allowedMethods(routes, req.path);
    if (allowed.length > 0)
      throw GraphError.of('methodNotAllowed', `The HTTP method '${req.method}' is not allowed for the requested resource.`, { Allow: allowed.join(', ') });
    throw GraphError.of('notFound', `The resource '${req.originalUrl.split('?')[0]}' was not found.`);
  };
  // An OPTIONS without Origin (preflights end in browserCors.ts) is answered as the Graph routes answer it, a 405
  // with Allow in Graph's envelope, never by Express's routers, which would answer 200 text/plain listing the methods.
  // The page's own paths (/, /ui, /ui/…) go on to the page, which answers its 405 with `Allow: GET, HEAD`.
  router.use((req, _res, next) => (req.method === 'OPTIONS' && !PAGE_PATH.test(req.path) ? notServed(req) : next()));
  router.use(faultsAdminRouter(faults));
  router.use(dataAdminRouter({ store, fixtures, maxTenants }));
  router.use(snapshotsAdminRouter(store));
  router.use(tenantsAdminRouter(store));
  router.use(tokenAdminRouter(signingKey));
  router.use(requestsAdminRouter(journal));
  // A query is ignored (a monitor's cache-busting `?t=…`): health changes nothing, and its counts are documented as
  // the default tenant's, every tenant's being in GET /_emulator/tenants.
  router.get('/health', (_req, res) => {
    // Degraded while the disk refuses writes (they answer 503 and change nothing): still a 200, since reads are
    // served and writes resume by themselves; the cause names the operation and the file, never its folder.
    const cause = store.problem;
    res.status(200).json({
      status: cause === undefined ? 'ok' : 'degraded',
      ...(cause === undefined ? {} : { cause }),
      version: PACKAGE_VERSION,
      // The file's name only: health is open even with ADMIN_TOKEN, and the machine's folders are nobody's business.
      store: path.basename(store.location),
      // The default tenant's; every tenant's are in GET /_emulator/tenants.
      records: perCollection((name) => store.count(name)),
      tenants: store.tenants.ids().length,
    });
  });
  router.use(pageRouter());
  router.use(notServed);
  return router;
}

/** What this file reads of Express's router: its layers, a route's methods, a nested router's own layers. */
interface RouteLayer {
  match(path: string): boolean;
  route?: { methods: Record<string, boolean> };
  handle?: RouterLike;
}
interface RouterLike {
  stack?: RouteLayer[];
}

/** The route layers of a router and of the routers it uses (all mounted at its root), at any depth. */
function routeLayers(router: RouterLike): RouteLayer[] {
  return (router.stack ?? []).flatMap((layer) => (layer.route !== undefined ? [layer] : layer.handle?.stack !== undefined ? routeLayers(layer.handle) : []));
}

/** The methods the routes matching a path take, HEAD with GET (as Express answers it), in capitals and sorted. */
function allowedMethods(routes: readonly RouteLayer[], path: string): string[] {
  const methods = new Set<string>();
  for (const layer of routes) {
    if (!layer.match(path)) continue;
    for (const [method, on] of Object.entries(layer.route!.methods)) if (on && method !== '_all') methods.add(method.toUpperCase());
  }
  if (methods.has('GET')) methods.add('HEAD');
  return [...methods].sort();
}

/**
 * The admin routes as a step of the request pipeline (app.ts): a path under /_emulator enters them, mounted
 * there as `app.use('/_emulator', …)` would (matched case-insensitively, req.url relative to the mount); every
 * other path goes on without walking a router. Graph's and Entra ID's paths never start with /_.
 */
export function adminMount(admin: Router): RequestHandler {
  const mount = Router();
  mount.use(ADMIN_PATH, admin);
  return function adminRoutes(req: Request, res: Response, next: NextFunction): void {
    // The mount's own match (adminPath.ts), on the path Express routes by: an absolute-form target's too (app.ts).
    if (!isAdminPath(req.path)) return next();
    mount(req, res, next);
  };
}
