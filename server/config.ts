// Configuration: one pure function (argv, env, readFile) -> Config.
// Precedence: flag > environment > config file (--config / CONFIG_FILE) > default.
// Each setting is one row of SETTINGS; --help and the config file's JSON Schema are generated from the same rows.
import { ConfigError } from './errors.js';
import { readJsonFile } from './jsonFile.js';
import { readRegularFileSync } from './regularFile.js';
import { type Setting, SETTINGS } from './settings.js';
import type { ClientRoles, LogLevel } from './settingValues.js';
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
  /** When set, /_emulator/* (but health and the admin page) needs `Authorization: Bearer <adminToken>`. */
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
  /** Tenants the emulator holds at most, the default one included (a token's tid adds one on its first request). */
  maxTenants: number;
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
  /** Record Graph requests in the request journal (GET /_emulator/requests). */
  journal: boolean;
  /** Entries the request journal keeps; the oldest go first. */
  journalSize: number;
}

interface LoadedConfig {
  config: Config;
  help: boolean;
  version: boolean;
}

/** Reads a config file's text; injected so the loader stays pure in tests. */
type ReadConfigFile = (path: string) => string;

const readUtf8: ReadConfigFile = readRegularFileSync;

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
      // `--data --log-level` is a forgotten value far more often than a file named like an option: taken as the value,
      // it would start on data files named `--log-level*`, or with the admin token "--https" and no HTTPS.
      else if (next.startsWith('--'))
        throw new ConfigError(`Option ${name} needs a value, and '${next}' is an option. A value that starts with -- is written ${name}=${next}.`);
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

/**
 * A certificate and its key come together, and serve HTTPS: with `https` set to false as well (`httpsRefused`), the
 * settings contradict each other, and neither is chosen for the user.
 */
function checkTls(config: Partial<Config>, httpsRefused: boolean, names = '--tls-cert and --tls-key (TLS_CERT, TLS_KEY)', https = '--https (HTTPS)'): void {
  if ((config.tlsCert === undefined) !== (config.tlsKey === undefined)) {
    throw new ConfigError(`${names} must be given together.`);
  }
  if (config.tlsCert === undefined) return;
  if (httpsRefused) throw new ConfigError(`${https} is false, but ${names} name a certificate to serve over HTTPS: leave out one or the other.`);
  config.https = true;
}

const KINDS: Record<string, string> = { string: 'a string', integer: 'a number', boolean: 'a boolean', array: 'a list of strings', object: 'an object' };

/** The JSON types a setting's value may have in a config file. */
function fileTypes(setting: Setting): string[] {
  const type = (setting.file === false ? undefined : setting.file?.type) ?? (setting.boolean ? 'boolean' : 'string');
  return Array.isArray(type) ? type : [type as string];
}

/** A setting's default, as its row of the configuration table (settings.ts) gives it: one place for each. */
export function settingDefault<K extends keyof Config>(key: K): Config[K] {
  const setting = SETTINGS.find((s) => s.key === key);
  if (setting === undefined) throw new ConfigError(`No setting '${key}'.`);
  return setting.defaultValue as Config[K];
}

/**
 * One option a library caller gives (keys as in a config file), checked and turned into its value by the parser a
 * flag, a variable or a config file goes through, so a bad value is refused with the same ConfigError, naming the
 * option as `name` (its key by default). Strings, numbers and booleans are taken for any setting as their text
 * (`journal: 'off'`, `port: '4000'`); lists and objects where a config file takes them. An unknown key and
 * `configFile` are refused; undefined gives undefined (the default).
 */
export function settingOption<K extends keyof Config>(key: K | string, value: unknown, name: string = key): Config[K] | undefined {
  const setting = SETTINGS.find((s) => s.key === key);
  // A misspelt key would otherwise start an emulator without the setting meant (`fixture: 'small'`: no data).
  if (setting === undefined)
    throw new ConfigError(`Unknown option '${key}': the options are the keys of the configuration table (docs/configuration.md), faults and logger.`);
  if (setting.file === false) throw new ConfigError(`${key} is not an option here: give its settings as options.`);
  if (value === undefined) return undefined;
  const types = fileTypes(setting);
  let raw: string | undefined;
  if (Array.isArray(value)) {
    // The default of corsOrigins and allowedHosts: nothing besides the local names.
    if (types.includes('array') && value.length === 0) return [] as unknown as Config[K];
    // One item per entry, each a string: joined blindly, [null] read as '' and ['a,b'] as two items.
    const bad = types.includes('array') ? value.findIndex((item) => typeof item !== 'string' || item.includes(',')) : -1;
    if (bad !== -1) {
      const item: unknown = value[bad];
      const shown = typeof item === 'string' ? `'${item}', which holds a comma` : item === null ? 'null' : Array.isArray(item) ? 'a list' : `a ${typeof item}`;
      throw new ConfigError(`${name}[${bad}] must be one item, a string; got ${shown}.`);
    }
    if (types.includes('array')) raw = value.join(',');
  } else if (typeof value === 'object' && value !== null) {
    if (types.includes('object')) raw = JSON.stringify(value);
  } else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    raw = String(value);
  }
  if (raw === undefined) {
    const shown = value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : `a ${typeof value}`;
    throw new ConfigError(`${name} must be ${types.map((t) => KINDS[t] ?? t).join(' or ')}; got ${shown}.`);
  }
  return setting.parse(raw, name) as Config[K];
}

/**
 * The settings a library caller gives (startEmulator's options), each checked by settingOption (`journalSize must
 * be a whole number from 1 to 100000; got '0'.`). An option set to undefined is left out.
 */
export function settingsFromOptions(options: Readonly<Record<string, unknown>>): Partial<Config> {
  const settings = {} as Record<string, unknown>;
  for (const [key, value] of Object.entries(options)) {
    const parsed = settingOption(key, value);
    if (parsed !== undefined) settings[key] = parsed;
  }
  const given = settings as Partial<Config>;
  checkTls(given, given.https === false, 'tlsCert and tlsKey', 'https');
  return given;
}

export function loadConfig(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, readFile: ReadConfigFile = readUtf8): LoadedConfig {
  const flags = parseFlags(argv);
  const envValue = (s: Setting) => (env[s.env] === '' ? undefined : env[s.env]);
  const configSetting = SETTINGS.find((s) => s.key === 'configFile')!;
  const configFile = flags.values.get(configSetting) ?? envValue(configSetting);
  const fromFile = configFile === undefined || flags.help || flags.version ? new Map<Setting, string>() : readSettingsFile(configFile, readFile);
  const config = {} as Record<keyof Config, unknown>;
  let httpsRefused = false;
  for (const setting of SETTINGS) {
    const flagValue = flags.values.get(setting);
    const environment = envValue(setting);
    const fileValue = fromFile.get(setting);
    if (flagValue !== undefined) config[setting.key] = setting.parse(flagValue, setting.flag);
    else if (environment !== undefined) config[setting.key] = setting.parse(environment, setting.env);
    else if (fileValue !== undefined) config[setting.key] = setting.parse(fileValue, `${setting.key} in ${configFile}`);
    else config[setting.key] = setting.defaultFor ? setting.defaultFor(env) : setting.defaultValue;
    const given = flagValue ?? environment ?? fileValue;
    if (setting.key === 'https' && given !== undefined) httpsRefused = config.https === false;
  }
  const loaded = config as unknown as Config;
  checkTls(loaded, httpsRefused);
  return { config: loaded, help: flags.help, version: flags.version };
}

/** Columns of --help: each as wide as its longest entry and a space, so two spaces or more set the next one apart. */
const HELP_FLAG_WIDTH = Math.max(...SETTINGS.map((s) => `${s.flag} <value>`.length)) + 1;
const HELP_ENV_WIDTH = Math.max(...SETTINGS.map((s) => s.env.length)) + 1;

export function helpText(): string {
  const row = (flag: string, env: string, meaning: string) => `  ${flag.padEnd(HELP_FLAG_WIDTH)} ${env.padEnd(HELP_ENV_WIDTH)} ${meaning}`;
  const rows = SETTINGS.map((s) => {
    const shown = s.defaultText ?? (s.defaultValue === undefined ? '' : String(s.defaultValue));
    return row(`${s.flag}${s.boolean ? '' : ' <value>'}`, s.env, `${s.help}${shown ? ` (default: ${shown})` : ''}`);
  });
  return [
    'Microsoft Graph beta accessPackages emulator',
    '',
    'Usage: graph-accesspackages-emulator [options]',
    '',
    row('flag', 'environment', 'meaning'),
    ...rows,
    row('--help', '', 'Show this help'),
    row('--version', '', 'Show the version'),
    '',
    'Precedence: flag > environment > config file > default.',
  ].join('\n');
}
