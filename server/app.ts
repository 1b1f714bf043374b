// createApp(options): the whole emulator as an Express app, built from plain options and an injected store.
//
// Middleware order (each step sees only requests the previous ones let through):
//   1. graphHeaders  request-id, client-request-id, Cache-Control, x-ms-ags-diagnostic on every answer: the step
//                    gives the ids, the app's writeHead writes them (installGraphHeaders, below)
//   2. requestLog    one log line per answered request, under its request-id (only with a logger that is not silent);
//                    a $batch item passes through, listed in its batch's line
//   3. hostCheck     421 for a Host header that names no allowed host (DNS rebinding; ALLOWED_HOSTS), the host of
//                    an absolute-form target in its place; 400 for a second Host header, none on HTTP/1.1, or a host
//                    that is no host[:port] (http/requestHost.ts)
//   4. cors          browser preflights end here; exposes Graph's headers to allowed origins (requests with an
//                    Origin only; local origins and CORS_ORIGINS, http/originPolicy.ts)
//   5. journal       records every request under /beta and /v1.0 with its answer when it closes (JOURNAL=off: no
//                    step); what is refused above it (421, preflights) and the admin and OAuth routes are not Graph's
//   6. admin         /_emulator/* (health, reset, export, snapshots, faults, tenants, token, requests, the admin
//                    page): first its guard (admin/guard.ts: 403 for a browser origin not allowed by name or,
//                    with ALLOWED_HOSTS=*, a browser's Host that is none of the emulator's own names; 401
//                    without ADMIN_TOKEN when one is set); reset and token parse their own JSON body; a path none
//                    serves is a 404 there
//   7. oauth         Entra ID's endpoints for confidential clients: /{tenant}/v2.0/.well-known/openid-configuration,
//                    /{tenant}/discovery/v2.0/keys, /{tenant}/oauth2/v2.0/token (identity/oauth.ts; no auth);
//                    then /beta/$metadata and /v1.0/$metadata, the CSDL (no auth, as Graph's)
//   8. auth          Graph's token check, the 401s (AUTH=bearer|strict|none)
//   9. $batch        POST /beta/$batch and /v1.0/$batch (http/batch.ts): each item runs steps 1, 2, 5, then the
//                    424 of a failed dependency, the $metadata step and 8-14 as a request of its own; the batch
//                    itself is not faulted or throttled
//  10. permissions   the route's permission in the token's scp or roles, else Graph's 403 (not with AUTH=none)
//  11. faults        throttling profile, X-Emulator-Fault header, fault rules (before the body is read,
//                    so a fault in phase "before" leaves no trace; phase "after" answers in sendOData)
//  12. jsonBody      415 / 413 / malformed JSON, before any handler runs
//  13. resources     every resource of resources/registry.ts (accessPackages: create, read, update, delete,
//                    list with OData query options; accessPackageCatalogs: list, read); a known path with
//                    another method is 405 with Allow; each request reads and writes its token's tenant
//                    (a tid seen for the first time is added with the fixtures first: http/tenantStores.ts)
//  14. fallback      Graph-style 400 / 404 for what no route serves
//  15. errorHandler  the single renderer of Graph's error envelope
// Steps 1-14 run as one Express layer (http/pipeline.ts): the router's walk over a layer costs every request, and
// these steps apply to every path; step 6 enters the admin routes' own router only for a path under /_emulator.
// Step 13 is one table of resources (http/dispatch.ts, built by resources/registry.ts), which step 10 reads too.
import express, { type Express, type Request, type Response } from 'express';
import { adminMount, adminRouter } from './admin/router.js';
import { type AppOptions, checkAppOptions } from './appOptions.js';
import { authenticate } from './http/auth.js';
import { authorize } from './http/permissions.js';
import { DEFAULT_CLIENT_ROLES } from './settingValues.js';
import { oauthEndpoints } from './identity/oauth.js';
import { SigningKey } from './identity/signingKey.js';
import { FaultEngine } from './faults/engine.js';
import { faultInjection } from './http/faultInjection.js';
import { errorHandler } from './http/errorHandler.js';
import { fallback } from './http/fallback.js';
import { browserCors } from './http/browserCors.js';
import { hostCheck, knownHost } from './http/hostCheck.js';
import { routableTarget } from './http/requestHost.js';
import { originPolicy } from './http/originPolicy.js';
import { dispatch } from './http/dispatch.js';
import { graphHeaders, installGraphHeaders } from './http/graphHeaders.js';
import { jsonBody } from './http/jsonBody.js';
import { pipeline } from './http/pipeline.js';
import { adoptMessageClasses } from './http/messageClasses.js';
import { failedDependencyGate, jsonBatch } from './http/batch.js';
import { journalCapture } from './http/journalCapture.js';
import { RequestJournal } from './http/requestJournal.js';
import { tenantFixtures } from './tenantData/sets.js';
import { tenantResolver } from './http/tenantStores.js';
import { requestLog } from './http/requestLog.js';
import { metadataDocument } from './resources/metadataDocument.js';
import { resourceTable } from './resources/registry.js';

export { type AppOptions, DEFAULT_BODY_LIMIT, DEFAULT_PAGE_SIZE } from './appOptions.js';

/** Every request reaches the steps with a path Express can read, whatever its target (requestHost.ts routableTarget). */
function withPathOfTarget(app: Express): void {
  // Express's own entry point, which its types leave out: every request (app(req, res), app.listen) passes there.
  const handled = app as unknown as { handle(req: { url?: string }, res: unknown, next?: unknown): unknown };
  const handle = handled.handle.bind(app);
  handled.handle = (req, res, next) => {
    routableTarget(req);
    return handle(req, res, next);
  };
}

/** Throws a ConfigError naming an option that is unknown or that its setting would refuse (appOptions.ts). */
export function createApp(given: AppOptions): Express {
  const options = checkAppOptions(given);
  const { store, auth, corsOrigins, bodyLimit, baseUrl, pageSize, fixtures, maxTenants, logger } = options;
  const faults = options.faults ?? new FaultEngine();
  const signingKey = options.signingKey ?? SigningKey.inMemory();
  const onUnexpected =
    options.onUnexpectedError ??
    (logger
      ? (err: unknown, req: Request) => logger.error({ err, requestId: req.res?.graphIds?.requestId }, 'unexpected error')
      : (err: unknown) => console.error(err));
  const app = express();
  withPathOfTarget(app);
  adoptMessageClasses(app);
  app.disable('x-powered-by');
  app.set('etag', false);
  installGraphHeaders(app);

  const logged = logger && logger.level !== 'silent' ? [requestLog(logger)] : [];
  const journal = options.journal === undefined ? new RequestJournal() : (options.journal ?? undefined);
  const recorded = journal ? [journalCapture(journal)] : [];
  const hostOptions = { allowed: options.allowedHosts, boundHost: options.boundHost, baseUrl };
  const known = knownHost(hostOptions);
  const hosts = hostCheck(hostOptions, known);
  const origins = originPolicy(corsOrigins, known);
  const admin = adminMount(adminRouter({ store, faults, fixtures, signingKey, origins, adminToken: options.adminToken, journal, maxTenants }));
  const oauth = oauthEndpoints({ signingKey, clientRoles: options.clientRoles ?? DEFAULT_CLIENT_ROLES, baseUrl });
  const metadata = metadataDocument();
  const routes = resourceTable({ baseUrl, pageSize });
  const authenticated = authenticate(auth, signingKey);
  const graphSteps = [...(auth === 'none' ? [] : [authorize(routes)]), faultInjection(faults), jsonBody(bodyLimit)];
  const tenants = tenantResolver(store.tenants, () => tenantFixtures(fixtures), maxTenants);
  const [served, notServed, handleErrors] = [dispatch(routes, tenants), fallback(routes), errorHandler(onUnexpected)];
  // A $batch item: the steps a request on the wire goes through, but the host check and CORS, which its batch passed.
  const itemSteps = pipeline(graphHeaders, ...logged, ...recorded, failedDependencyGate, metadata, authenticated, ...graphSteps, served, notServed);
  const runItem = (req: Request, res: Response) => itemSteps(req, res, (err?: unknown) => handleErrors(err, req, res, () => {}));
  const batch = jsonBatch({ app: () => app, runItem });
  app.use(
    pipeline(graphHeaders, ...logged, hosts, browserCors(origins), ...recorded, admin, oauth, metadata, authenticated, batch, ...graphSteps, served, notServed),
  );
  app.use(handleErrors);
  return app;
}
