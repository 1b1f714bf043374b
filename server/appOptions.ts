// createApp's options checked when the app is made, by the parsers startEmulator and the command line use
// (config.ts settingOption): a caller without TypeScript who gives `bodyLimit: '1kb'`, `pageSize: 0` or
// `fixtures: 'small'` gets the documented meaning or a ConfigError naming the option, never a limit silently gone
// or a 500 at request time.
import path from 'node:path';
import type { Request } from 'express';
import { settingDefault, settingOption } from './config.js';
import { ConfigError } from './errors.js';
import type { FaultEngine } from './faults/engine.js';
import type { AuthMode } from './http/auth.js';
import type { RequestJournal } from './http/requestJournal.js';
import type { SigningKey } from './identity/signingKey.js';
import type { Logger } from './logger.js';
import { checkObjectOptions } from './objectOptions.js';
import type { ClientRoles } from './settingValues.js';
import type { Store } from './store/store.js';
import { loadRecordsFile } from './tenantData/loadRecords.js';
import { DEFAULT_FIXTURES, DEFAULT_SEED, type FixtureChoice, isFixtureSetName } from './tenantData/sets.js';

export interface AppOptions {
  store: Store;
  /**
   * `bearer` (default): any non-empty bearer token, a JWT's permissions, lifetime and audience checked;
   * `strict`: only JWTs signed with `signingKey`; `none`: no check.
   */
  auth?: AuthMode | undefined;
  /**
   * Signs the tokens of /_emulator/token and the OAuth endpoints, verifies them with `strict` (default: this process's
   * in-memory key, the one `mintToken` uses). startEmulator's own (the key beside its data file): the package does not
   * export SigningKey, and anything else is a ConfigError.
   */
  signingKey?: SigningKey | undefined;
  /** Roles of client-credentials tokens per client id, `*` for any other (default: `*` gets EntitlementManagement.ReadWrite.All). */
  clientRoles?: ClientRoles | undefined;
  /** Browser origins allowed besides http(s)://localhost, 127.0.0.1 and [::1] (default: none); `*`: any, on Graph routes only. */
  corsOrigins?: '*' | readonly string[] | undefined;
  /** Host header names accepted besides localhost and *.localhost, IP addresses, this machine's name, `boundHost` and `baseUrl`'s host (default: none); `*`: any. */
  allowedHosts?: '*' | readonly string[] | undefined;
  /** The address or name the server listens on, accepted in the Host header (startEmulator passes its `host`). */
  boundHost?: string | undefined;
  /** When set, /_emulator/* (but health and the admin page) needs `Authorization: Bearer <adminToken>`. */
  adminToken?: string | undefined;
  /** Largest accepted request body: bytes, or a size as the configuration takes it (`512kb`, `2mb`; default 1 MB). */
  bodyLimit?: number | string | undefined;
  /** Public URL of this server for Location headers, when clients reach it through a proxy. */
  baseUrl?: string | undefined;
  /** Page size of lists when the client asks for none (1..999, default 100). */
  pageSize?: number | undefined;
  /**
   * What POST /_emulator/reset restores without a body, and what a new tenant starts with: a set name or a .json
   * file of records as FIXTURES takes them (seed 42), or that with its seed and reference date (default: `small`).
   */
  fixtures?: string | FixtureChoice | undefined;
  /** Tenants the store may hold, the default one included (default 1,000); a new one past it is Graph's 507. */
  maxTenants?: number | undefined;
  /** Fault rules, throttling profile and seeded randomness; none when absent. */
  faults?: FaultEngine | undefined;
  /** Called with unexpected errors (answered as 500 UnknownError); default: the logger, else stderr. */
  onUnexpectedError?: ((err: unknown, req: Request) => void) | undefined;
  /** Logs one line per request; without it the app logs nothing (quiet in test suites). */
  logger?: Logger | undefined;
  /** Records Graph requests for GET /_emulator/requests (default: a journal of 1,000 entries); null: none (JOURNAL=off). */
  journal?: RequestJournal | null | undefined;
}

// The configuration table's (settings.ts), so that createApp and the command line start alike.
export const DEFAULT_BODY_LIMIT = settingDefault('bodyLimit');
export const DEFAULT_PAGE_SIZE = settingDefault('pageSize');

/** The options with every setting in the form the app's steps read, defaults filled in. */
interface CheckedAppOptions extends AppOptions {
  auth: AuthMode;
  corsOrigins: '*' | readonly string[];
  bodyLimit: number;
  pageSize: number;
  fixtures: FixtureChoice;
  maxTenants: number;
}

/** The options that are settings of the configuration table, checked by its parsers under the same key. */
const SETTINGS = ['auth', 'clientRoles', 'corsOrigins', 'allowedHosts', 'adminToken', 'bodyLimit', 'baseUrl', 'pageSize', 'maxTenants'] as const;
/** The options that are objects of this process, not settings. */
const OBJECTS = ['store', 'signingKey', 'boundHost', 'fixtures', 'faults', 'onUnexpectedError', 'logger', 'journal'];

function fixtureChoice(value: unknown): FixtureChoice {
  if (value === undefined) return { fixtures: DEFAULT_FIXTURES, seed: DEFAULT_SEED };
  if (typeof value === 'string') return { fixtures: settingOption('fixtures', value)!, seed: DEFAULT_SEED };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError('fixtures must be a set name or a .json file (as FIXTURES takes it), or { fixtures, seed, referenceDate }.');
  }
  const { fixtures, seed, referenceDate, ...other } = value as Record<string, unknown>;
  const unknown = Object.keys(other)[0];
  if (unknown !== undefined) throw new ConfigError(`Unknown option 'fixtures.${unknown}': fixtures takes fixtures, seed and referenceDate.`);
  const choice: FixtureChoice = {
    fixtures: settingOption('fixtures', fixtures ?? DEFAULT_FIXTURES, 'fixtures.fixtures')!,
    seed: settingOption('seed', seed ?? DEFAULT_SEED, 'fixtures.seed')!,
  };
  const date = settingOption('referenceDate', referenceDate, 'fixtures.referenceDate');
  return date === undefined ? choice : { ...choice, referenceDate: date };
}

/**
 * A fixtures file read and checked now, as startEmulator and the command line do at start: one that cannot be read
 * is a ConfigError, one whose records are not valid a FixtureError, never a 400 naming the file at a new tenant's
 * first request.
 */
function checkedFixtures(choice: FixtureChoice): FixtureChoice {
  if (!isFixtureSetName(choice.fixtures)) loadRecordsFile(path.resolve(choice.fixtures), choice.referenceDate);
  return choice;
}

/** Throws a ConfigError naming the first option that is unknown or not a value its setting takes. */
export function checkAppOptions(options: AppOptions): CheckedAppOptions {
  if (typeof options !== 'object' || options === null) throw new ConfigError('createApp needs its options, { store } at least.');
  const given = options as unknown as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!(SETTINGS as readonly string[]).includes(key) && !OBJECTS.includes(key)) {
      throw new ConfigError(`Unknown option '${key}': createApp takes ${[...OBJECTS.slice(0, 2), ...SETTINGS, ...OBJECTS.slice(2)].join(', ')}.`);
    }
  }
  checkObjectOptions(given);
  const settings: Record<string, unknown> = {};
  for (const key of SETTINGS) {
    const value = settingOption(key, given[key]);
    if (value !== undefined) settings[key] = value;
  }
  return {
    ...options,
    auth: settingDefault('auth'),
    corsOrigins: settingDefault('corsOrigins'),
    bodyLimit: DEFAULT_BODY_LIMIT,
    pageSize: DEFAULT_PAGE_SIZE,
    maxTenants: settingDefault('maxTenants'),
    ...settings,
    fixtures: checkedFixtures(fixtureChoice(given.fixtures)),
  };
}
