// createApp(options): the whole emulator as an Express app, built from plain options and an injected store.
//
// Middleware order (each step sees only requests the previous ones let through):
//   1. graphHeaders  request-id, client-request-id, Cache-Control, x-ms-ags-diagnostic on every answer
//   2. requestLog    one log line per answered request, under its request-id (only with a logger that is not silent)
//   3. hostCheck     421 for a Host header that names no allowed host (DNS rebinding; ALLOWED_HOSTS)
//   4. cors          browser preflights end here; exposes Graph's headers to allowed origins (requests with an
//                    Origin only; local origins and CORS_ORIGINS, http/originPolicy.ts)
//   5. admin         /_emulator/* (health, reset, export, faults): first its guard (admin/guard.ts: 403 for a
//                    browser origin not allowed by name, 401 without ADMIN_TOKEN when one is set); reset parses
//                    its own JSON body
//   6. auth          Graph's bearer check (AUTH=bearer|none)
//   7. faults        throttling profile, X-Emulator-Fault header, fault rules (before the body is read,
//                    so a fault in phase "before" leaves no trace; phase "after" answers in sendOData)
//   8. jsonBody      415 / 413 / malformed JSON, before any handler runs
//   9. resources     every resource of resources/registry.ts (accessPackages: create, read, update, delete,
//                    list with OData query options; accessPackageCatalogs: list, read); a known path with
//                    another method is 405 with Allow
//  10. fallback      Graph-style 400 / 404 for what no route serves
//  11. errorHandler  the single renderer of Graph's error envelope
// Steps 1-4 and 6-8 apply to every request and each run as one Express layer (http/pipeline.ts); step 9
// is one table of resources (http/dispatch.ts, built by resources/registry.ts). Express's router walks six layers.
import express, { type Express, type Request } from 'express';
import { adminRouter } from './admin/router.js';
import { type AuthMode, authenticate } from './http/auth.js';
import { FaultEngine } from './faults/engine.js';
import { faultInjection } from './http/faultInjection.js';
import { errorHandler } from './http/errorHandler.js';
import { fallback } from './http/fallback.js';
import { browserCors } from './http/browserCors.js';
import { hostCheck } from './http/hostCheck.js';
import { originPolicy } from './http/originPolicy.js';
import { dispatch } from './http/dispatch.js';
import { graphHeaders } from './http/graphHeaders.js';
import { jsonBody } from './http/jsonBody.js';
import { pipeline } from './http/pipeline.js';
import { DEFAULT_FIXTURES, DEFAULT_SEED, type FixtureChoice } from './tenantData/sets.js';
import { requestLog } from './http/requestLog.js';
import type { Logger } from './logger.js';
import { resourceTable } from './resources/registry.js';
import type { Store } from './store/types.js';

export interface AppOptions {
  store: Store;
  /** `bearer` (default): any non-empty bearer token; `none`: no check. */
  auth?: AuthMode;
  /** Browser origins allowed besides http(s)://localhost, 127.0.0.1 and [::1] (default: none); `*`: any, on Graph routes only. */
  corsOrigins?: '*' | readonly string[];
  /** Host header names accepted besides localhost, IP addresses and this machine's name (default: none); `*`: any. */
  allowedHosts?: '*' | readonly string[];
  /** The address or name the server listens on: accepted in the Host header. */
  boundHost?: string;
  /** When set, /_emulator/* (but health) needs `Authorization: Bearer <adminToken>`. */
  adminToken?: string;
  /** Largest accepted request body in bytes (default 1 MB). */
  bodyLimit?: number;
  /** Public URL of this server for Location headers, when clients reach it through a proxy. */
  baseUrl?: string;
  /** Page size of lists when the client asks for none (1..999, default 100). */
  pageSize?: number;
  /** What POST /_emulator/reset restores without a body (default: the `small` set, seed 42). */
  fixtures?: FixtureChoice;
  /** Fault rules, throttling profile and seeded randomness; none when absent. */
  faults?: FaultEngine;
  /** Called with unexpected errors (answered as 500 UnknownError); default: the logger, else stderr. */
  onUnexpectedError?: (err: unknown, req: Request) => void;
  /** Logs one line per request; without it the app logs nothing (quiet in test suites). */
  logger?: Logger;
}

export const DEFAULT_BODY_LIMIT = 1024 * 1024;
export const DEFAULT_PAGE_SIZE = 100;

export function createApp(options: AppOptions): Express {
  const { store, auth = 'bearer', corsOrigins = [], bodyLimit = DEFAULT_BODY_LIMIT, baseUrl, pageSize = DEFAULT_PAGE_SIZE, logger } = options;
  const faults = options.faults ?? new FaultEngine();
  const onUnexpected =
    options.onUnexpectedError ?? (logger ? (err: unknown, req: Request) => logger.error({ err, requestId: req.res?.getHeader('request-id') }, 'unexpected error') : (err: unknown) => console.error(err));
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  const logged = logger && logger.level !== 'silent' ? [requestLog(logger)] : [];
  const origins = originPolicy(corsOrigins, options.allowedHosts !== '*');
  const hosts = hostCheck({ allowed: options.allowedHosts, boundHost: options.boundHost, baseUrl });
  app.use(pipeline(graphHeaders, ...logged, hosts, browserCors(origins)));
  // Mounted by prefix so Graph requests skip the admin routes' matching altogether.
  const fixtures = options.fixtures ?? { fixtures: DEFAULT_FIXTURES, seed: DEFAULT_SEED };
  app.use('/_emulator', adminRouter({ store, faults, fixtures, origins, adminToken: options.adminToken }));
  app.use(pipeline(authenticate(auth), faultInjection(faults), jsonBody(bodyLimit)));
  app.use(dispatch(resourceTable({ store, baseUrl, pageSize })));
  app.use(fallback);
  app.use(errorHandler(onUnexpected));
  return app;
}
