// The library entry: run the emulator inside a test suite (startEmulator on a free port) or mount its
// Express app under supertest (createApp with a MemoryStore).
import { type Config, loadConfig, settingsFromOptions } from './config.js';
import { type ListenOptions, type RunningEmulator, listen } from './emulator.js';
import { SigningKey } from './identity/signingKey.js';
import { checkLogger } from './objectOptions.js';
import { type TokenRequest, libraryTokenRequest, mintAccessToken } from './identity/tokens.js';

export { createApp, type AppOptions } from './app.js';
export { loadConfig, type Config } from './config.js';
export type { RunningEmulator } from './emulator.js';
export type { Logger } from './logger.js';
export { FaultEngine, type FaultEngineOptions } from './faults/engine.js';
export { parseFaultRule, parseFaultSettings, type FaultRule, type FaultSettings, type ThrottleProfile } from './faults/ruleSchema.js';
export { generateDataset, type GenerateOptions } from './tenantData/generate.js';
export { ConfigError, EmulatorError, FaultRuleError, FileAccessError, FixtureError, StoreError, ValidationError } from './errors.js';
export { MemoryStore } from './store/memoryStore.js';
export { FileStore } from './store/fileStore.js';
export type { AccessPackage, AccessPackageCatalog, Dataset } from './store/records.js';
export type { BaselineInfo, RecordChange, Store, Tenants } from './store/store.js';
export { DEFAULT_TENANT_ID } from './tenantIds.js';
export type { TokenRequest } from './identity/tokens.js';
export { RequestJournal } from './http/requestJournal.js';
export type { JournalEntry } from './http/journalEntry.js';
export type { EmulatorControls, RequestFilter, TenantControls } from './emulatorControls.js';

/** Settings by their config file key; one given as undefined takes its default (also under exactOptionalPropertyTypes). */
export type EmulatorOptions = { [K in Exclude<keyof Config, 'configFile'>]?: Config[K] | undefined } & ListenOptions;

/**
 * Starts an emulator in this process. Defaults suit a test suite: a free port on 127.0.0.1, data in
 * memory starting empty (`fixtures: 'small'` for a generated tenant), no logs. `close()` finishes in-flight requests and flushes the data file, if any.
 * A bad setting rejects with a ConfigError naming it (`journalSize must be a whole number from 1 to 100000; got '0'.`) before anything listens.
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const { logger, faults, ...settings } = options;
  // Before the store is opened: a logger the app cannot call would otherwise fail at the first request or at close.
  if (logger !== undefined) checkLogger(logger);
  // Checked like the command line's settings, before anything is opened or listens: a ConfigError naming the option.
  const given = settingsFromOptions(settings);
  const defaults = loadConfig([], {}).config;
  const config: Config = { ...defaults, port: 0, host: '127.0.0.1', dataFile: ':memory:', fixtures: 'empty', logLevel: 'silent', ...given };
  return listen(config, { logger, faults });
}

/**
 * An access token for Graph signed with this process's in-memory key: the key of every `createApp` without a
 * `signingKey` and of every `startEmulator` with its data in memory, so it passes `auth: 'strict'` there.
 * Defaults: a delegated token for admin@contoso.onmicrosoft.com with EntitlementManagement.ReadWrite.All, valid an hour.
 */
export async function mintToken(request: TokenRequest = {}): Promise<string> {
  const checked = libraryTokenRequest(request);
  return mintAccessToken(await SigningKey.inMemory().load(), checked).accessToken;
}
