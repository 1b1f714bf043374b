// Configuration: one pure function (argv, env, readFile) -> Config.
// Precedence: flag > environment > config file (--config / CONFIG_FILE) > default.
// Each setting is one row of SETTINGS; --help and the config file's JSON Schema are generated from the same rows.
import { ConfigError } from './errors.js';
import { readJsonFile } from './jsonFile.js';
import { readFileSync } from 'node:fs';
import { DEFAULT_FIXTURES, DEFAULT_SEED, FIXTURE_SETS, isFixtureFilePath, isFixtureSetName } from './tenantData/sets.js';
import { REFERENCE_DATE_FORMS, parseReferenceDate } from './tenantData/referenceDate.js';
import type { AuthMode } from './http/auth.js';
import { type JsonSchema, validateConfigFile } from './configFile.js';

export interface Config {
  port: number;
  host: string;
  dataFile: string;
  auth: AuthMode;
  /** Browser origins allowed besides the local development ones (http(s)://localhost, 127.0.0.1, [::1]); `*`: any. */
  corsOrigins: '*' | string[];
  /** Host names accepted in the Host header besides loopback names, IP addresses and this machine's name; `*`: any. */
  allowedHosts: '*' | string[];
  /** When set, /_emulator/* (but health) needs `Authorization: Bearer <adminToken>`. */
  adminToken: string | undefined;
  /** Whether the X-Emulator-Fault request header is honoured. */
  faultHeader: boolean;
  bodyLimit: number;
  /** Page size of lists when the client asks for none ($top or Prefer: odata.maxpagesize). */
  pageSize: number;
  baseUrl: string | undefined;
  /** Seeds the one random generator behind fault probabilities, latencies and generated data. */
  seed: number;
  /** Loaded into a fresh store and by POST /_emulator/reset: a fixture set name or a path to a JSON file of records. */
  fixtures: string;
  /** The fixed "now" of generated data (ISO, UTC); undefined: the time each set is generated, at start and at reset. */
  referenceDate: string | undefined;
  /** JSON file with fault rules and a throttling profile (fixtures/faults.schema.json). */
  faultsFile: string | undefined;
  /** JSON config file read for settings not given by flag or environment. */
  configFile: string | undefined;
  logLevel: LogLevel;
  /** `auto`: human-readable when stdout is a terminal, JSON lines otherwise. */
  logFormat: 'auto' | 'json' | 'pretty';
  https: boolean;
  /** PEM certificate and key to serve; without them `https` generates a local CA and certificate in the data folder. */
  tlsCert: string | undefined;
  tlsKey: string | undefined;
  /** Application permissions (`roles`) of the client-credentials tokens each client id gets; `*` for any other client. */
  clientRoles: ClientRoles;
}

/** Client id -> the application permissions its tokens carry; the `*` entry serves every client not named. */
export type ClientRoles = Readonly<Record<string, readonly string[]>>;

/** Any client gets tokens that may do everything the emulator serves. */
export const DEFAULT_CLIENT_ROLES: ClientRoles = { '*': ['EntitlementManagement.ReadWrite.All'] };

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

interface Setting<K extends keyof Config = keyof Config> {
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

function integer(min: number, max: number) {
  return (raw: string, name: string): number => {
    const value = Number(raw);
    if (!/^\d+$/.test(raw.trim()) || value < min || value > max) throw new ConfigError(`${name} must be a whole number from ${min} to ${max}; got '${raw}'.`);
    return value;
  };
}

function oneOf<T extends string>(...values: T[]) {
  return (raw: string, name: string): T => {
    const value = raw.trim().toLowerCase() as T;
    if (!values.includes(value)) throw new ConfigError(`${name} must be one of ${values.join(', ')}; got '${raw}'.`);
    return value;
  };
}

export function parseBoolean(raw: string, name: string): boolean {
  const value = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(value)) return true;
  if (['0', 'false', 'no', 'off'].includes(value)) return false;
  throw new ConfigError(`${name} must be true or false; got '${raw}'.`);
}

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

export function parseSize(raw: string, name: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([kmg]?b?)$/i.exec(raw.trim());
  const unit = SIZE_UNITS[(match?.[2] ?? '').toLowerCase()];
  if (!match || unit === undefined) throw new ConfigError(`${name} must be a size such as 1mb, 512kb or 1048576; got '${raw}'.`);
  const bytes = Math.floor(Number(match[1]) * unit);
  if (bytes < 1) throw new ConfigError(`${name} must be at least 1 byte; got '${raw}'.`);
  return bytes;
}

function origins(raw: string, name: string): '*' | string[] {
  const list = raw
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  if (list.length === 0) throw new ConfigError(`${name} must be * or a comma-separated list of origins; got '${raw}'.`);
  if (list.includes('*')) return '*';
  for (const origin of list) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin)) throw new ConfigError(`${name}: '${origin}' is not an origin like http://localhost:3000.`);
  }
  return list;
}

/** Host names, comma-separated: `graph`, `.example.test` (any subdomain too), or `*`. */
function hostNames(raw: string, name: string): '*' | string[] {
  const list = raw
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  if (list.length === 0) throw new ConfigError(`${name} must be * or a comma-separated list of host names; got '${raw}'.`);
  if (list.includes('*')) return '*';
  for (const host of list) {
    if (!/^\.?[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*\.?$/.test(host)) {
      throw new ConfigError(`${name}: '${host}' is not a host name like graph or emulator.example.test (no scheme, no port).`);
    }
  }
  return list;
}

function url(raw: string, name: string): string {
  try {
    const parsed = new URL(raw);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('not http');
    return raw.replace(/\/+$/, '');
  } catch {
    throw new ConfigError(`${name} must be an absolute http(s) URL; got '${raw}'.`);
  }
}

function fixtures(raw: string, name: string): string {
  const value = raw.trim();
  if (isFixtureSetName(value) || isFixtureFilePath(value)) return value;
  throw new ConfigError(`${name} must be one of ${Object.keys(FIXTURE_SETS).join(', ')} or a path to a .json file of records; got '${raw}'.`);
}

function referenceDate(raw: string, name: string): string {
  const value = parseReferenceDate(raw);
  if (value === undefined) throw new ConfigError(`${name} must be ${REFERENCE_DATE_FORMS}; got '${raw}'.`);
  return value;
}

/**
 * `backend=EntitlementManagement.ReadWrite.All,reader=EntitlementManagement.Read.All,*=` (roles space-separated,
 * clients comma-separated; `*` for any other client), or the same as a JSON object of lists (a config file).
 */
export function parseClientRoles(raw: string, name: string): ClientRoles {
  const roles = (value: unknown, client: string): string[] => {
    const list = typeof value === 'string' ? value.split(/\s+/) : Array.isArray(value) ? value : undefined;
    if (list === undefined || list.some((role) => typeof role !== 'string'))
      throw new ConfigError(`${name}: the roles of '${client}' must be a string or a list of strings.`);
    return (list as string[]).filter(Boolean);
  };
  const text = raw.trim();
  let entries: [string, unknown][];
  if (text.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new ConfigError(`${name} is not valid JSON: ${(err as Error).message}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ConfigError(`${name} must be a JSON object of client ids.`);
    entries = Object.entries(parsed);
  } else {
    entries = text
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean)
      .map((entry) => {
        const match = /^([^=\s]+)\s*=(.*)$/.exec(entry);
        if (!match) throw new ConfigError(`${name} must be a comma-separated list of clientId=Role Role (or *=Role); got '${entry}'.`);
        return [match[1]!, match[2]!];
      });
  }
  if (entries.length === 0) throw new ConfigError(`${name} must name at least one client (clientId=Role, or *=Role for any client).`);
  return Object.fromEntries(entries.map(([client, value]) => [client, roles(value, client)]));
}

function text(raw: string, name: string): string {
  if (raw.trim() === '') throw new ConfigError(`${name} must not be empty.`);
  return raw;
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
  { key: 'host', flag: '--host', env: 'HOST', help: 'Interface to bind (0.0.0.0 for containers)', defaultValue: '127.0.0.1', parse: text },
  { key: 'dataFile', flag: '--data', env: 'DATA_FILE', help: 'Data file (:memory: keeps nothing on disk)', defaultValue: 'data/db.json', parse: text },
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
    help: 'Host header names accepted besides localhost, IP addresses, this machine and BASE_URL, comma-separated, or *',
    defaultValue: [],
    defaultText: 'local names only',
    file: { type: ['string', 'array'], items: { type: 'string' } },
    parse: hostNames,
  },
  {
    key: 'adminToken',
    flag: '--admin-token',
    env: 'ADMIN_TOKEN',
    help: 'Bearer token /_emulator/* requires (health excepted)',
    defaultValue: undefined,
    defaultText: 'none: no token needed',
    parse: text,
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
    parse: parseBoolean,
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
    help: 'JSON file with settings (keys as in the README table)',
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
] as Setting[];

export interface LoadedConfig {
  config: Config;
  help: boolean;
  version: boolean;
}

/** Reads a config file's text; injected so the loader stays pure in tests. */
export type ReadConfigFile = (path: string) => string;

const readUtf8: ReadConfigFile = (path) => readFileSync(path, 'utf8');

/** The JSON Schema of a config file: one optional property per setting, nothing else. */
export function configFileSchema(): JsonSchema {
  const properties: Record<string, JsonSchema> = { $schema: { type: 'string' } };
  for (const s of SETTINGS) {
    if (s.file === false) continue;
    properties[s.key] = { ...(s.file ?? { type: s.boolean ? 'boolean' : 'string' }), description: s.help };
  }
  return { type: 'object', properties, additionalProperties: false };
}

function parseFlags(argv: readonly string[]) {
  const values = new Map<Setting, string>();
  let help = false;
  let version = false;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    if (arg === '--version' || arg === '-v') {
      version = true;
      continue;
    }
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const setting = SETTINGS.find((s) => s.flag === name);
    if (!setting) throw new ConfigError(`Unknown option '${arg}'. Run with --help to see the options.`);
    let value = inline;
    if (value === undefined) {
      const next = argv[i + 1];
      if (setting.boolean && (next === undefined || next.startsWith('--'))) value = 'true';
      else if (next === undefined) throw new ConfigError(`Option ${name} needs a value.`);
      else {
        value = next;
        i += 1;
      }
    }
    values.set(setting, value);
  }
  return { values, help, version };
}

/** The settings of a config file, as raw strings for the same parsers flags and environment go through. */
function readSettingsFile(file: string, readFile: ReadConfigFile): Map<Setting, string> {
  const json = readJsonFile(file, 'config file', (message) => new ConfigError(message), readFile);
  const problem = validateConfigFile(configFileSchema(), json);
  if (problem) throw new ConfigError(`The config file ${file} is invalid: ${problem}`);
  const values = new Map<Setting, string>();
  for (const [key, value] of Object.entries(json as Record<string, unknown>)) {
    const setting = SETTINGS.find((s) => s.key === key);
    if (setting)
      values.set(setting, Array.isArray(value) ? value.join(',') : typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value));
  }
  return values;
}

function checkTls(config: Config): void {
  if ((config.tlsCert === undefined) !== (config.tlsKey === undefined)) {
    throw new ConfigError('--tls-cert and --tls-key (TLS_CERT, TLS_KEY) must be given together.');
  }
  if (config.tlsCert !== undefined) config.https = true;
}

export function loadConfig(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, readFile: ReadConfigFile = readUtf8): LoadedConfig {
  const flags = parseFlags(argv);
  const envValue = (s: Setting) => (env[s.env] === '' ? undefined : env[s.env]);
  const configSetting = SETTINGS.find((s) => s.key === 'configFile')!;
  const configFile = flags.values.get(configSetting) ?? envValue(configSetting);
  const fromFile = configFile === undefined || flags.help || flags.version ? new Map<Setting, string>() : readSettingsFile(configFile, readFile);
  const config = {} as Record<keyof Config, unknown>;
  for (const setting of SETTINGS) {
    const flagValue = flags.values.get(setting);
    const environment = envValue(setting);
    const fileValue = fromFile.get(setting);
    if (flagValue !== undefined) config[setting.key] = setting.parse(flagValue, setting.flag);
    else if (environment !== undefined) config[setting.key] = setting.parse(environment, setting.env);
    else if (fileValue !== undefined) config[setting.key] = setting.parse(fileValue, `${setting.key} in ${configFile}`);
    else config[setting.key] = setting.defaultFor ? setting.defaultFor(env) : setting.defaultValue;
  }
  const loaded = config as unknown as Config;
  checkTls(loaded);
  return { config: loaded, help: flags.help, version: flags.version };
}

export function helpText(): string {
  const rows = SETTINGS.map((s) => {
    const shown = s.defaultText ?? (s.defaultValue === undefined ? '' : String(s.defaultValue));
    return `  ${`${s.flag}${s.boolean ? '' : ' <value>'}`.padEnd(26)} ${s.env.padEnd(14)} ${s.help}${shown ? ` (default: ${shown})` : ''}`;
  });
  return [
    'Microsoft Graph beta accessPackages emulator',
    '',
    'Usage: graph-accesspackages-emulator [options]',
    '',
    `  ${'flag'.padEnd(26)} ${'environment'.padEnd(14)} meaning`,
    ...rows,
    `  ${'--help'.padEnd(26)} ${''.padEnd(14)} Show this help`,
    `  ${'--version'.padEnd(26)} ${''.padEnd(14)} Show the version`,
    '',
    'Precedence: flag > environment > config file > default.',
  ].join('\n');
}
