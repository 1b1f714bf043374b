// createApp(options): the whole emulator as an Express app, built from plain options and an injected store.
//
// The order of the steps below is described once, step by step, in docs/architecture.md ("The middleware order");
// change the two together. In short: Graph headers, log, host check, CORS, journal, admin, OAuth and $metadata,
// auth, $batch, permissions, faults, JSON body, resources, fallback; then the error handler.
import type { ServerResponse } from 'node:http';
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
import { ANSWER_BUDGET_BYTES, installAnswerBudget } from './http/answerBudget.js';
import { waitsForTurn } from './http/pipelinedTurn.js';
import { originPolicy } from './http/originPolicy.js';
import { dispatch } from './http/dispatch.js';
import { graphHeaders, installGraphHeaders } from './http/graphHeaders.js';
import { GRAPH_JSON_TYPES, jsonBody } from './http/jsonBody.js';
import { bodyBudgetTotal, installBodyBudget, withinBudget } from './http/bodyBudget.js';
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

/**
 * Every request reaches the steps in its turn on its connection (pipelinedTurn.ts), with a path Express can read,
 * whatever its target (requestHost.ts routableTarget).
 */
function withPathOfTarget(app: Express): void {
  // Express's own entry point, which its types leave out: every request (app(req, res), app.listen) passes there.
  const handled = app as unknown as { handle(req: { url?: string }, res: unknown, next?: unknown): unknown };
  const handle = handled.handle.bind(app);
  const run = (req: { url?: string }, res: unknown, next?: unknown) => {
    routableTarget(req);
    return handle(req, res, next);
  };
  handled.handle = (req, res, next) =>
    waitsForTurn(res as ServerResponse) ? (res as ServerResponse).once('socket', () => run(req, res, next)) : run(req, res, next);
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
  // One budget for the bodies all of this app's requests are receiving at once (bodyBudget.ts).
  installBodyBudget(app, bodyBudgetTotal(bodyLimit));
  // One for the answers its clients have not taken yet, which also cuts one they stop taking (answerBudget.ts).
  installAnswerBudget(app, ANSWER_BUDGET_BYTES);

  const logged = logger && logger.level !== 'silent' ? [requestLog(logger, options.adminToken)] : [];
  const journal = options.journal === undefined ? new RequestJournal() : (options.journal ?? undefined);
  const recorded = journal ? [journalCapture(journal)] : [];
  const hostOptions = { allowed: options.allowedHosts, boundHost: options.boundHost, baseUrl };
  const known = knownHost(hostOptions);
  const origins = originPolicy(corsOrigins, known);
  const cors = browserCors(origins);
  const hosts = hostCheck(hostOptions, known, cors.forAllowed);
  const admin = adminMount(adminRouter({ store, faults, fixtures, signingKey, origins, adminToken: options.adminToken, journal, maxTenants }));
  const oauth = oauthEndpoints({
    signingKey,
    clientRoles: options.clientRoles ?? DEFAULT_CLIENT_ROLES,
    baseUrl,
    withinBodyBudget: (read, limit) => withinBudget(read, undefined, limit),
  });
  const metadata = metadataDocument();
  const routes = resourceTable({ baseUrl, pageSize });
  const authenticated = authenticate(auth, signingKey);
  const graphSteps = [...(auth === 'none' ? [] : [authorize(routes)]), faultInjection(faults), jsonBody(bodyLimit, { types: GRAPH_JSON_TYPES })];
  const tenants = tenantResolver(store.tenants, () => tenantFixtures(fixtures), maxTenants);
  const [served, notServed, handleErrors] = [dispatch(routes, tenants), fallback(routes), errorHandler(onUnexpected)];
  // A $batch item: the steps a request on the wire goes through, but the host check and CORS, which its batch passed,
  // and admin, OAuth and $batch, which no item reaches (its url is under /beta or /v1.0); the 424 gate in their place.
  const itemSteps = pipeline(graphHeaders, ...logged, ...recorded, failedDependencyGate, metadata, authenticated, ...graphSteps, served, notServed);
  const runItem = (req: Request, res: Response) => itemSteps(req, res, (err?: unknown) => handleErrors(err, req, res, () => {}));
  const batch = jsonBatch({ app: () => app, runItem });
  app.use(pipeline(graphHeaders, ...logged, hosts, cors, ...recorded, admin, oauth, metadata, authenticated, batch, ...graphSteps, served, notServed));
  app.use(handleErrors);
  return app;
}
