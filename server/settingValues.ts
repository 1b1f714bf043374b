// How a setting's text becomes its value: whole numbers, sizes, origins, host names, URLs, fixture choices,
// reference dates and client roles, each refusing a bad value with a ConfigError that names the setting.
import { isIPv6 } from 'node:net';
import { ConfigError } from './errors.js';
import { REFERENCE_DATE_FORMS, parseReferenceDate } from './tenantData/referenceDate.js';
import { FIXTURE_SETS, isFixtureFilePath, isFixtureSetName } from './tenantData/sets.js';

/** Client id -> the application permissions its tokens carry; the `*` entry serves every client not named. */
export type ClientRoles = Readonly<Record<string, readonly string[]>>;

/** Any client gets tokens that may do everything the emulator serves. */
export const DEFAULT_CLIENT_ROLES: ClientRoles = { '*': ['EntitlementManagement.ReadWrite.All'] };

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export function integer(min: number, max: number) {
  return (raw: string, name: string): number => {
    const value = Number(raw);
    if (!/^\d+$/.test(raw.trim()) || value < min || value > max) throw new ConfigError(`${name} must be a whole number from ${min} to ${max}; got '${raw}'.`);
    return value;
  };
}

export function oneOf<T extends string>(...values: T[]) {
  return (raw: string, name: string): T => {
    const value = raw.trim().toLowerCase() as T;
    if (!values.includes(value)) throw new ConfigError(`${name} must be one of ${values.join(', ')}; got '${raw}'.`);
    return value;
  };
}

function switchValue(raw: string): boolean | undefined {
  const value = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(value)) return true;
  if (['0', 'false', 'no', 'off'].includes(value)) return false;
  return undefined;
}

/** A flag documented as true or false (`--https`, `HTTPS=true`); on/off, yes/no and 1/0 are taken too. */
export function parseBoolean(raw: string, name: string): boolean {
  const value = switchValue(raw);
  if (value === undefined) throw new ConfigError(`${name} must be true or false; got '${raw}'.`);
  return value;
}

/** A switch documented as on or off (`JOURNAL=off`); true/false, yes/no and 1/0 are taken too. */
export function onOff(raw: string, name: string): boolean {
  const value = switchValue(raw);
  if (value === undefined) throw new ConfigError(`${name} must be on or off; got '${raw}'.`);
  return value;
}

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/**
 * The largest BODY_LIMIT: a body is decoded into one string before it is parsed, and V8 makes no string of more than
 * 2^29 - 24 characters, so a body past that (a limit of 1gb, say) stopped the whole process instead of being
 * answered; 100 MB leaves room for the answer and the journal line that repeat the body.
 */
const MAX_BODY_LIMIT = 100 * 1024 ** 2;

export function parseSize(raw: string, name: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([kmg]?b?)$/i.exec(raw.trim());
  const unit = SIZE_UNITS[(match?.[2] ?? '').toLowerCase()];
  if (!match || unit === undefined) throw new ConfigError(`${name} must be a size such as 1mb, 512kb or 1048576; got '${raw}'.`);
  const bytes = Math.floor(Number(match[1]) * unit);
  if (bytes < 1) throw new ConfigError(`${name} must be at least 1 byte; got '${raw}'.`);
  if (bytes > MAX_BODY_LIMIT) throw new ConfigError(`${name} must be at most 100mb (${MAX_BODY_LIMIT} bytes); got '${raw}'.`);
  return bytes;
}

export function origins(raw: string, name: string): '*' | string[] {
  const list = raw
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  if (list.length === 0) throw new ConfigError(`${name} must be * or a comma-separated list of origins; got '${raw}'.`);
  if (list.includes('*')) return '*';
  return list.map((origin) => browserOrigin(origin, name));
}

/**
 * An origin as a browser writes its page's in `Origin` (scheme, host and port, RFC 6454 §6.2), so that it can match:
 * the URL parser's origin, without a default port (`:443` on https), the scheme and the host lower-cased (a scheme is
 * any case, RFC 3986 §3.1), the host in punycode. A user, a path, a query, a fragment or a `*` pattern is in no page's
 * `Origin`: such an entry would refuse the page it was meant for without a word, so it is refused here.
 */
function browserOrigin(origin: string, name: string): string {
  if (origin.includes('*')) throw new ConfigError(`${name}: '${origin}' is a pattern; list each origin, or * alone for any page.`);
  const refused = new ConfigError(`${name}: '${origin}' is not an origin like http://localhost:3000.`);
  if (!/^https?:\/\/[^/\s?#@]+$/i.test(origin)) throw refused;
  try {
    // Not URL.parse: Node 20 has it only from 20.18.
    return new URL(origin).origin;
  } catch {
    throw refused;
  }
}

/** Host names, comma-separated: `graph`, `.example.test` (any subdomain too), or `*`. */
export function hostNames(raw: string, name: string): '*' | string[] {
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

/**
 * An origin, and a path the Graph paths go under: what Location and nextLinks are built on, by appending to it. A
 * query, a fragment or a user name would land in the middle of every such URL (`http://x/?q=1/beta/…`), and spaces
 * or control characters in a header (a line break made every create a 500 after storing it); the URL parser would
 * drop some of them silently, so the value is refused as given. Kept in the parser's form, without trailing slashes.
 */
export function url(raw: string, name: string): string {
  // On one line, as every start-up error is: a line break shown as \n.
  const shown = `'${JSON.stringify(raw).slice(1, -1)}'`;
  let parsed: URL | undefined;
  try {
    parsed = new URL(raw);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new ConfigError(`${name} must be an absolute http(s) URL; got ${shown}.`);
  }
  const problem = Array.from(raw).some((c) => c <= ' ' || c === '\u007f')
    ? 'spaces or control characters'
    : parsed.username !== '' || parsed.password !== ''
      ? 'a user name or password'
      : /[?#]/.test(raw)
        ? "a query or a fragment ('?', '#')"
        : undefined;
  if (problem !== undefined) {
    throw new ConfigError(`${name} must be an origin and a path, without ${problem}: Location and nextLinks are built on it; got ${shown}.`);
  }
  return parsed.href.replace(/\/+$/, '');
}

export function fixtures(raw: string, name: string): string {
  const value = raw.trim();
  if (isFixtureSetName(value) || isFixtureFilePath(value)) return value;
  throw new ConfigError(`${name} must be one of ${Object.keys(FIXTURE_SETS).join(', ')} or a path to a .json file of records; got '${raw}'.`);
}

export function referenceDate(raw: string, name: string): string {
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

/**
 * The admin token: what a client sends as it is in `Authorization: Bearer <token>`. HTTP trims a header's ends,
 * holds no line break, and Node reads its bytes as Latin-1 (a UTF-8 `é` arrives as `Ã©`): a token with any of these
 * could never match, and the admin API would refuse every request. The refusal does not quote it.
 */
export function adminToken(raw: string, name: string): string {
  const value = text(raw, name);
  if (!/^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/.test(value))
    throw new ConfigError(
      `${name} must be what an Authorization header carries as it is: printable ASCII, spaces only between other characters (the value is not shown, being a secret).`,
    );
  return value;
}

export function text(raw: string, name: string): string {
  if (raw.trim() === '') throw new ConfigError(`${name} must not be empty.`);
  return raw;
}

/**
 * The interface to listen on. An IPv6 address is written without brackets for listen(), but a URL's bracketed form
 * (`[::1]`, as the docs write it) is what users copy: it is taken too. Brackets around anything else name no address.
 */
export function listenHost(raw: string, name: string): string {
  const value = text(raw, name).trim();
  const bracketed = /^\[(.*)\]$/.exec(value);
  if (bracketed === null) return value;
  if (isIPv6(bracketed[1]!)) return bracketed[1]!;
  throw new ConfigError(`${name} must be a host name or an IP address; brackets hold an IPv6 address only, such as [::1]; got '${raw}'.`);
}

/**
 * The data file's path. One ending in `/`, or in a `.` or `..` segment, names a folder (`DATA_FILE=data/`, `data/.`),
 * which the path functions would read as the file `data`: a start on a missing folder made a data file of that name,
 * and its journal beside it.
 */
export function dataFilePath(raw: string, name: string): string {
  const value = text(raw, name);
  if (/(^|\/)\.{0,2}$/.test(value)) {
    throw new ConfigError(`${name} must name a file, not a folder; got '${raw}'. Name the file in it, such as ${value.replace(/\/?$/, '/')}db.json.`);
  }
  return value;
}
