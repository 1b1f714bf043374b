// The settings table: one row per setting with its flag, environment variable, default, help and parser.
// config.ts reads flags, environment and config file through it; --help and the config file's schema come from it.
import type { Config } from './config.js';
import type { JsonSchema } from './configFile.js';
import {
  adminToken,
  DEFAULT_CLIENT_ROLES,
  dataFilePath,
  LOG_LEVELS,
  fixtures,
  hostNames,
  integer,
  onOff,
  oneOf,
  origins,
  parseBoolean,
  parseClientRoles,
  parseSize,
  referenceDate,
  listenHost,
  text,
  url,
} from './settingValues.js';
import { DEFAULT_FIXTURES, DEFAULT_SEED, FIXTURE_SETS } from './tenantData/sets.js';
import { DEFAULT_JOURNAL_SIZE, MAX_JOURNAL_SIZE } from './http/requestJournal.js';
import { DEFAULT_MAX_TENANTS, MAX_TENANTS_LIMIT } from './tenantIds.js';

export interface Setting<K extends keyof Config = keyof Config> {
  key: K;
  flag: string;
  env: string;
  help: string;
  defaultValue: Config[K];
  /** Shown in --help instead of the default value. */
  defaultText?: string;
  /** A flag that takes no value (`--flag` means true). */
  boolean?: boolean;
  /** The value's JSON Schema in a config file (default: a string, or a boolean for boolean flags); `false`: not settable there. */
  file?: JsonSchema | false;
  /** A default that depends on the environment (e.g. quiet logs under a test runner). */
  defaultFor?(env: Readonly<Record<string, string | undefined>>): Config[K];
  parse(raw: string, name: string): Config[K];
}

export const SETTINGS: readonly Setting[] = [
  {
    key: 'port',
    flag: '--port',
    env: 'PORT',
    help: 'TCP port to listen on (0 picks a free one)',
    defaultValue: 4000,
    file: { type: 'integer' },
    parse: integer(0, 65535),
  },
  { key: 'host', flag: '--host', env: 'HOST', help: 'Interface to bind (0.0.0.0 for containers)', defaultValue: '127.0.0.1', parse: listenHost },
  { key: 'dataFile', flag: '--data', env: 'DATA_FILE', help: 'Data file (:memory: keeps nothing on disk)', defaultValue: 'data/db.json', parse: dataFilePath },
  {
    key: 'auth',
    flag: '--auth',
    env: 'AUTH',
    help: "bearer: any non-empty bearer token (a JWT's permissions, expiry and audience are checked); strict: only tokens signed by the emulator; none: no check",
    defaultValue: 'bearer',
    parse: oneOf('bearer', 'strict', 'none'),
  },
  {
    key: 'corsOrigins',
    flag: '--cors-origins',
    env: 'CORS_ORIGINS',
    help: 'Browser origins allowed besides localhost, 127.0.0.1 and [::1] (any port), comma-separated, or * (Graph routes only)',
    defaultValue: [],
    defaultText: 'local origins only',
    file: { type: ['string', 'array'], items: { type: 'string' } },
    parse: origins,
  },
  {
    key: 'allowedHosts',
    flag: '--allowed-hosts',
    env: 'ALLOWED_HOSTS',
    help: 'Host header names accepted besides localhost and *.localhost, IP addresses, this machine, the bound host and BASE_URL, comma-separated, or *',
    defaultValue: [],
    defaultText: 'local names only',
    file: { type: ['string', 'array'], items: { type: 'string' } },
    parse: hostNames,
  },
  {
    key: 'adminToken',
    flag: '--admin-token',
    env: 'ADMIN_TOKEN',
    help: 'Bearer token /_emulator/* requires (health and the admin page excepted)',
    defaultValue: undefined,
    defaultText: 'none: no token needed',
    parse: adminToken,
  },
  {
    key: 'bodyLimit',
    flag: '--body-limit',
    env: 'BODY_LIMIT',
    help: 'Largest request body',
    defaultValue: 1024 * 1024,
    defaultText: '1mb',
    file: { type: ['string', 'integer'] },
    parse: parseSize,
  },
  {
    key: 'pageSize',
    flag: '--page-size',
    env: 'PAGE_SIZE',
    help: 'Default page size of lists ($top and Prefer: odata.maxpagesize override it)',
    defaultValue: 100,
    file: { type: 'integer' },
    parse: integer(1, 999),
  },
  {
    key: 'seed',
    flag: '--seed',
    env: 'SEED',
    help: 'Seed for generated data and fault randomness (same seed, same run)',
    defaultValue: DEFAULT_SEED,
    file: { type: 'integer' },
    parse: integer(0, 2 ** 31 - 1),
  },
  {
    key: 'fixtures',
    flag: '--fixtures',
    env: 'FIXTURES',
    help: `Data for a fresh store and for reset: ${Object.keys(FIXTURE_SETS).join(', ')}, or a .json file`,
    defaultValue: DEFAULT_FIXTURES,
    parse: fixtures,
  },
  {
    key: 'referenceDate',
    flag: '--reference-date',
    env: 'REFERENCE_DATE',
    help: 'Fixed "now" of generated data, e.g. 2026-11-01: the same bytes on any day',
    defaultValue: undefined,
    defaultText: 'the time of generation',
    parse: referenceDate,
  },
  {
    key: 'maxTenants',
    flag: '--max-tenants',
    env: 'MAX_TENANTS',
    help: "Tenants held at most, the default one included; each token's tid is a tenant, added with the fixtures on its first request",
    defaultValue: DEFAULT_MAX_TENANTS,
    file: { type: 'integer' },
    parse: integer(1, MAX_TENANTS_LIMIT),
  },
  {
    key: 'faultsFile',
    flag: '--faults',
    env: 'FAULTS_FILE',
    help: 'Fault rules and throttling profile, a JSON file (see docs/faults.md)',
    defaultValue: undefined,
    parse: text,
  },
  {
    key: 'faultHeader',
    flag: '--fault-header',
    env: 'FAULT_HEADER',
    help: 'Honour the X-Emulator-Fault request header: on or off',
    defaultValue: true,
    defaultText: 'on',
    file: { type: ['string', 'boolean'] },
    parse: onOff,
  },
  {
    key: 'baseUrl',
    flag: '--base-url',
    env: 'BASE_URL',
    help: 'Public URL for Location and nextLink (default: from the request)',
    defaultValue: undefined,
    parse: url,
  },
  {
    key: 'configFile',
    flag: '--config',
    env: 'CONFIG_FILE',
    help: 'JSON file with settings (keys as in docs/configuration.md)',
    defaultValue: undefined,
    file: false,
    parse: text,
  },
  {
    key: 'logLevel',
    flag: '--log-level',
    env: 'LOG_LEVEL',
    help: 'Log level: fatal, error, warn, info, debug, trace or silent',
    defaultValue: 'info',
    defaultText: 'info; silent when NODE_ENV=test',
    defaultFor: (env) => (env.NODE_ENV === 'test' ? 'silent' : 'info'),
    parse: oneOf(...LOG_LEVELS),
  },
  {
    key: 'logFormat',
    flag: '--log-format',
    env: 'LOG_FORMAT',
    help: 'auto (pretty on a terminal, else JSON lines), json or pretty',
    defaultValue: 'auto',
    parse: oneOf('auto', 'json', 'pretty'),
  },
  {
    key: 'https',
    flag: '--https',
    env: 'HTTPS',
    help: 'Serve HTTPS (a local CA and certificate are generated into the data folder)',
    defaultValue: false,
    boolean: true,
    parse: parseBoolean,
  },
  {
    key: 'tlsCert',
    flag: '--tls-cert',
    env: 'TLS_CERT',
    help: 'PEM certificate to serve instead of the generated one (implies --https)',
    defaultValue: undefined,
    parse: text,
  },
  { key: 'tlsKey', flag: '--tls-key', env: 'TLS_KEY', help: 'PEM private key of --tls-cert', defaultValue: undefined, parse: text },
  {
    key: 'clientRoles',
    flag: '--client-roles',
    env: 'CLIENT_ROLES',
    help: 'Roles of the client-credentials tokens per client id: clientId=Role Role,other=Role; * for any other client',
    defaultValue: DEFAULT_CLIENT_ROLES,
    defaultText: '*=EntitlementManagement.ReadWrite.All',
    file: { type: ['string', 'object'], additionalProperties: { type: ['string', 'array'], items: { type: 'string' } } },
    parse: parseClientRoles,
  },
  {
    key: 'journal',
    flag: '--journal',
    env: 'JOURNAL',
    help: 'Record Graph requests and their answers for GET /_emulator/requests: on or off',
    defaultValue: true,
    defaultText: 'on',
    file: { type: ['string', 'boolean'] },
    parse: onOff,
  },
  {
    key: 'journalSize',
    flag: '--journal-size',
    env: 'JOURNAL_SIZE',
    help: `Requests the journal keeps, the oldest dropped first (1-${MAX_JOURNAL_SIZE})`,
    defaultValue: DEFAULT_JOURNAL_SIZE,
    file: { type: 'integer' },
    parse: integer(1, MAX_JOURNAL_SIZE),
  },
] as Setting[];
