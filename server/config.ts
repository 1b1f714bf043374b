// Configuration: one pure function (argv, env) -> Config. Precedence: flag > environment > default.
// Each setting is one row of SETTINGS; --help is generated from the same rows.
import type { AuthMode } from './http/auth.js';

export interface Config {
  port: number;
  host: string;
  dataFile: string;
  auth: AuthMode;
  corsOrigins: '*' | string[];
  bodyLimit: number;
  /** Page size of lists when the client asks for none ($top or Prefer: odata.maxpagesize). */
  pageSize: number;
  baseUrl: string | undefined;
  /** Seeds the one random generator behind fault probabilities, latencies and generated data. */
  seed: number;
  /** JSON file with fault rules and a throttling profile (fixtures/faults.schema.json). */
  faultsFile: string | undefined;
}

export class ConfigError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

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
  const list = raw.split(',').map((o) => o.trim()).filter(Boolean);
  if (list.length === 0) throw new ConfigError(`${name} must be * or a comma-separated list of origins; got '${raw}'.`);
  if (list.includes('*')) return '*';
  for (const origin of list) {
    if (!/^https?:\/\/[^/\s]+$/.test(origin)) throw new ConfigError(`${name}: '${origin}' is not an origin like http://localhost:3000.`);
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

function text(raw: string, name: string): string {
  if (raw.trim() === '') throw new ConfigError(`${name} must not be empty.`);
  return raw;
}

export const SETTINGS: readonly Setting[] = [
  { key: 'port', flag: '--port', env: 'PORT', help: 'TCP port to listen on (0 picks a free one)', defaultValue: 4000, parse: integer(0, 65535) },
  { key: 'host', flag: '--host', env: 'HOST', help: 'Interface to bind (0.0.0.0 for containers)', defaultValue: '127.0.0.1', parse: text },
  { key: 'dataFile', flag: '--data', env: 'DATA_FILE', help: 'Data file (:memory: keeps nothing on disk)', defaultValue: 'data/db.json', parse: text },
  { key: 'auth', flag: '--auth', env: 'AUTH', help: 'bearer: any non-empty bearer token; none: no check', defaultValue: 'bearer', parse: oneOf('bearer', 'none') },
  { key: 'corsOrigins', flag: '--cors-origins', env: 'CORS_ORIGINS', help: 'Allowed browser origins, comma-separated, or *', defaultValue: '*', parse: origins },
  { key: 'bodyLimit', flag: '--body-limit', env: 'BODY_LIMIT', help: 'Largest request body', defaultValue: 1024 * 1024, defaultText: '1mb', parse: parseSize },
  { key: 'pageSize', flag: '--page-size', env: 'PAGE_SIZE', help: 'Default page size of lists ($top and Prefer: odata.maxpagesize override it)', defaultValue: 100, parse: integer(1, 999) },
  { key: 'seed', flag: '--seed', env: 'SEED', help: 'Seed for generated data and fault randomness (same seed, same run)', defaultValue: 42, parse: integer(0, 2 ** 31 - 1) },
  { key: 'faultsFile', flag: '--faults', env: 'FAULTS_FILE', help: 'Fault rules and throttling profile, a JSON file (see README)', defaultValue: undefined, parse: text },
  { key: 'baseUrl', flag: '--base-url', env: 'BASE_URL', help: 'Public URL for Location and nextLink (default: from the request)', defaultValue: undefined, parse: url },
] as Setting[];

export interface LoadedConfig {
  config: Config;
  help: boolean;
  version: boolean;
}

export function loadConfig(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): LoadedConfig {
  const fromFlags = new Map<Setting, string>();
  let help = false;
  let version = false;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') { help = true; continue; }
    if (arg === '--version' || arg === '-v') { version = true; continue; }
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const setting = SETTINGS.find((s) => s.flag === name);
    if (!setting) throw new ConfigError(`Unknown option '${arg}'. Run with --help to see the options.`);
    let value = inline;
    if (value === undefined) {
      const next = argv[i + 1];
      if (setting.boolean && (next === undefined || next.startsWith('--'))) value = 'true';
      else if (next === undefined) throw new ConfigError(`Option ${name} needs a value.`);
      else { value = next; i += 1; }
    }
    fromFlags.set(setting, value);
  }
  const config = {} as Record<keyof Config, unknown>;
  for (const setting of SETTINGS) {
    const flagValue = fromFlags.get(setting);
    const envValue = env[setting.env];
    if (flagValue !== undefined) config[setting.key] = setting.parse(flagValue, setting.flag);
    else if (envValue !== undefined && envValue !== '') config[setting.key] = setting.parse(envValue, setting.env);
    else config[setting.key] = setting.defaultValue;
  }
  return { config: config as unknown as Config, help, version };
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
    'Precedence: flag > environment > default.',
  ].join('\n');
}
