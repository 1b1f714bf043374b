// Start and stop a listening emulator from a Config: shared by the command line and by library users.
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import { createApp } from './app.js';
import type { Config } from './config.js';
import { checkListenable, describeBound, isLoopbackAddress, listenerUrl } from './listener.js';
import { SERVER_LIMITS, capConnections, serverOptions } from './serverLimits.js';
import { FaultEngine } from './faults/engine.js';
import { loadFaultsFile } from './faults/file.js';
import { parseFaultSettings, type FaultSettings } from './faults/ruleSchema.js';
import { checkFixturesFile, tenantFixtures } from './tenantData/sets.js';
import { type Logger, createLogger } from './logger.js';
import { openStore } from './store/openStore.js';
import { storeWarnings } from './store/storeWarnings.js';
import type { Store } from './store/store.js';
import { FileAccessError, StoreError } from './errors.js';
import { tlsMaterial } from './tls.js';
import { SigningKey } from './identity/signingKey.js';
import { type TokenRequest, libraryTokenRequest, mintAccessToken } from './identity/tokens.js';
import { type EmulatorControls, type TenantControls, emulatorControls } from './emulatorControls.js';
import { RequestJournal } from './http/requestJournal.js';
import { messageClassesOf } from './http/messageClasses.js';
import { answerServerEvents, noteTlsRefusals } from './http/serverEvents.js';
import { closeConnectionsOnStop } from './http/closingConnections.js';

export interface RunningEmulator extends EmulatorControls {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:4000`; Graph paths start with `/beta`. */
  readonly url: string;
  readonly port: number;
  /** The address the server is bound to, as the start-up line names it, e.g. `0.0.0.0:4000, every interface`. */
  readonly boundAddress: string;
  readonly store: Store;
  readonly server: Server | HttpsServer;
  readonly logger: Logger;
  /** With --https and a generated certificate: the CA file clients should trust (NODE_EXTRA_CA_CERTS). */
  readonly caFile: string | undefined;
  /**
   * An access token signed with this emulator's key (the data folder's, or the in-memory one): valid with AUTH=strict.
   * `{ tid: 'worker-1' }` gives a token of that tenant: its requests see that tenant's data only.
   */
  mintToken(request?: TokenRequest): Promise<string>;
  /** Stop accepting, let in-flight requests finish (at most `graceMs`), flush the store. */
  close(graceMs?: number): Promise<void>;
  /** The same controls for one tenant (a token's `tid`): its requests, its data, its fault rules. */
  tenant(tid: string): TenantControls;
}

export interface ListenOptions {
  /** Replaces the logger built from `logLevel` / `logFormat`. */
  logger?: Logger | undefined;
  /** Fault rules and throttling profile, in place of FAULTS_FILE (checked against the same schema). */
  faults?: FaultSettings | undefined;
}

/**
 * `startup`, aborted, stops the start with its reason as the error: before the store is opened, or once it is open
 * (then it is closed first), never listening (the command line's signals during start-up, bin/stopSignals.ts).
 */
export async function listen(config: Config, options: ListenOptions = {}, startup?: AbortSignal): Promise<RunningEmulator> {
  // Read before the store is opened: a bad faults file must not leave a lock or a data file behind.
  const faultSettings =
    options.faults !== undefined
      ? parseFaultSettings(options.faults, 'faults', 'faults')
      : config.faultsFile === undefined
        ? {}
        : loadFaultsFile(config.faultsFile);
  const faults = new FaultEngine({ ...faultSettings, seed: config.seed, header: config.faultHeader });
  await checkFixturesFile(config.fixtures);
  const logger = options.logger ?? createLogger({ level: config.logLevel, format: config.logFormat });
  // Before any file is made beside the data file (the CA and certificate in tls/, the signing key): a start refused
  // at its listen leaves nothing behind.
  await checkListenable(config.port, config.host);
  const tls = config.https ? await tlsMaterial(config) : undefined;
  // Made on first use, except with AUTH=strict: a key file that cannot be read stops the start, not a request.
  const signingKey = SigningKey.forDataFile(config.dataFile);
  if (config.auth === 'strict') await signingKey.load();
  startup?.throwIfAborted();
  // What happens to the store's files while the emulator runs (another program's edit kept aside, a stored dataset
  // lost, the lock taken) is told in the log.
  const store = await openStore(config.dataFile, storeWarnings(logger));
  const fixtures = { fixtures: config.fixtures, seed: config.seed, referenceDate: config.referenceDate };
  try {
    // Only a store that never held data is seeded: restarting must never overwrite what clients wrote. The same
    // records as the tenants added later get (tenantFixtures), so every tenant starts from the same data.
    startup?.throwIfAborted();
    if (store.fresh) await store.replaceAll(await tenantFixtures(fixtures));
    startup?.throwIfAborted();
  } catch (err) {
    await store.close();
    // The disk refused the fresh data file its first data (full, read-only since it was opened): the system refusing a
    // file the emulator needs, exit 3, as the same refusal when the file is opened.
    if (err instanceof StoreError && err.kind === 'io') {
      throw new FileAccessError(`Cannot seed the data file ${store.location} with its fixtures (${err.message}). Nothing was kept.`);
    }
    throw err;
  }
  const app = createApp({
    faults,
    fixtures,
    store,
    auth: config.auth,
    signingKey,
    clientRoles: config.clientRoles,
    corsOrigins: config.corsOrigins,
    allowedHosts: config.allowedHosts,
    boundHost: config.host,
    adminToken: config.adminToken,
    bodyLimit: config.bodyLimit,
    pageSize: config.pageSize,
    baseUrl: config.baseUrl,
    maxTenants: config.maxTenants,
    logger,
    journal: config.journal ? new RequestJournal(config.journalSize) : null,
  });
  // A request without Host reaches the app, whose host check answers it in Graph's envelope (http/requestHost.ts).
  const httpOptions = { ...serverOptions(), ...messageClassesOf(app), requireHostHeader: false };
  // node:https, and node:tls under it, loaded only with --https: about 2 ms of a start without it.
  const server = tls
    ? (await import('node:https')).createServer({ ...httpOptions, handshakeTimeout: SERVER_LIMITS.handshakeTimeoutMs, cert: tls.cert, key: tls.key }, app)
    : createServer(httpOptions, app);
  capConnections(server);
  answerServerEvents(server, logger);
  if (tls) noteTlsRefusals(server, logger, tls.caFile);
  const closeConnections = closeConnectionsOnStop(server, tls !== undefined);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => {
        server.removeListener('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await store.close();
    throw err;
  }
  const { port, address } = server.address() as AddressInfo;
  if (!isLoopbackAddress(address) && config.adminToken === undefined) warnExposed(logger, describeBound(address, port));
  let closing: Promise<void> | undefined;
  return {
    ...emulatorControls(app, config.adminToken),
    url: listenerUrl(tls !== undefined, config.host, port, 'localhost'),
    port,
    boundAddress: describeBound(address, port),
    store,
    server,
    logger,
    caFile: tls?.caFile,
    async mintToken(request) {
      const checked = libraryTokenRequest(request);
      return mintAccessToken(await signingKey.load(), checked).accessToken;
    },
    close(graceMs = 10_000) {
      closing ??= (async () => {
        const drained = new Promise<void>((resolve) => server.close(() => resolve()));
        // Hung and delayed requests would otherwise hold the drain for the whole grace period.
        faults.close();
        server.closeIdleConnections();
        const answersClosed = closeConnections();
        const timer = setTimeout(() => server.closeAllConnections(), graceMs);
        await drained;
        clearTimeout(timer);
        // The log lines of the answers the stop cut are written once they have closed (closingConnections.ts).
        await answersClosed(1_000);
        await store.close();
        // The last request lines may still sit in the log buffer (logger.ts).
        await new Promise<void>((resolve) => logger.flush(() => resolve()));
      })();
      return closing;
    },
  };
}

/** Other machines (or containers) can reach a server bound beyond loopback: say so, and what it exposes. */
function warnExposed(logger: Logger, bound: string): void {
  logger.warn(
    { bound },
    `Reachable from other machines (bound to ${bound}) and no ADMIN_TOKEN is set: anyone who can reach this port can reset and export the data and replace the fault rules (/_emulator/*). Set ADMIN_TOKEN, or HOST=127.0.0.1 to stay on this machine.`,
  );
}
