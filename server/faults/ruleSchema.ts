// The one rule vocabulary for the faults file, the admin API and the X-Emulator-Fault header:
// fixtures/faults.schema.json, checked by ajv. Errors name the offending field so a 400 or a start-up
// failure says exactly what to fix.
import type { ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FaultRuleError } from '../errors.js';
import { createAjv, firstProblem } from '../jsonSchema.js';
import { FIXTURES_DIR } from '../paths.js';
import { pathPatternProblem } from './matchedPath.js';
import { isJsonObject } from '../jsonObject.js';
import { isAdminPath } from '../adminPath.js';
import { unreservedDecoded, withoutTrailingSlashes } from '../urlText.js';

type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
type FaultStatus = 400 | 401 | 403 | 404 | 409 | 412 | 429 | 500 | 502 | 503 | 504;
export type DropKind = 'reset' | 'empty' | 'malformed' | 'hang';
export type Latency = number | { min: number; max: number } | { median: number; sigma: number; max?: number };
/** Cap for a lognormal delay that names no max, so one unlucky draw cannot stall a run. */
export const DEFAULT_LOGNORMAL_MAX_MS = 60_000;

export interface FaultRule {
  name?: string;
  method?: HttpMethod;
  path?: string;
  /** The tenant whose requests the rule matches (case-insensitive); any when absent. */
  tenant?: string;
  headers?: Record<string, string>;
  probability?: number;
  after?: number;
  every?: number;
  times?: number;
  status?: FaultStatus;
  code?: string;
  message?: string;
  retryAfter?: number;
  latency?: Latency;
  drop?: DropKind;
  phase?: 'before' | 'after';
}

export interface ThrottleProfile {
  capacity: number;
  refillPerSecond: number;
  key?: 'token' | 'client-request-id';
  headers?: boolean;
  /** The tenant whose requests are throttled (case-insensitive); every tenant's when absent. */
  tenant?: string;
}

export interface FaultSettings {
  rules?: FaultRule[];
  /** null: no throttling (a PUT with it switches the profile off and keeps the rules it carries). */
  throttle?: ThrottleProfile | null;
}

const SCHEMA_FILE = path.join(FIXTURES_DIR, 'faults.schema.json');
/** Rules an engine holds at most (the schema's maxItems): each is tried on every Graph request. */
export const MAX_RULES = 1000;
/** Counters GET answers with; accepted back and ignored, so a saved list can be PUT as is. */
const COUNTERS = ['matched', 'fired'] as const;

function compile(): { settings: ValidateFunction; rule: ValidateFunction } {
  // The effect combinations (anyOf/not/if) name fields declared on the rule itself, not in their own branch:
  // their messages come from ajv-errors' errorMessage keyword.
  const ajv = createAjv({ allErrors: true, strictRequired: false, errorMessages: true });
  const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as { $id: string };
  ajv.addSchema(schema);
  return { settings: ajv.getSchema(schema.$id)!, rule: ajv.getSchema(`${schema.$id}#/definitions/rule`)! };
}

let validators: ReturnType<typeof compile> | undefined;

/**
 * A faults document ({rules, throttle}), as a faults file or the admin API's body holds it; `where` names the
 * document's fields in messages (`faults` → `faults.rules[0].status`), and `whole` the document itself.
 */
export function parseFaultSettings(value: unknown, where = '', whole = 'the body'): FaultSettings {
  // The schema's maxItems, checked before the validator runs: with allErrors, ajv-errors' messages take time
  // quadratic in the invalid items of an over-long list (a 1 MB PUT of 350,000 `{}` held the event loop 6 minutes).
  if (isJsonObject(value) && Array.isArray(value['rules']) && value['rules'].length > MAX_RULES) {
    throw new FaultRuleError(`${where === '' ? '' : `${where}.`}rules must NOT have more than ${MAX_RULES} items.`);
  }
  validators ??= compile();
  const input = settingsWithoutCounters(value);
  if (!validators.settings(input)) throw new FaultRuleError(describe(validators.settings.errors, where, whole));
  const settings = input as FaultSettings;
  for (const [i, rule] of (settings.rules ?? []).entries()) checkRule(rule, `${where === '' ? '' : `${where}.`}rules[${i}]`);
  return settings;
}

/** One rule; `where` names it in messages (`rules[2]`, `X-Emulator-Fault`). */
export function parseFaultRule(value: unknown, where = 'rule'): FaultRule {
  validators ??= compile();
  const input = ruleWithoutCounters(value);
  if (!validators.rule(input)) throw new FaultRuleError(describe(validators.rule.errors, where));
  checkRule(input as FaultRule, where);
  return input as FaultRule;
}

function ruleWithoutCounters(rule: unknown): unknown {
  if (!isJsonObject(rule)) return rule;
  const copy = { ...rule };
  for (const key of COUNTERS) delete copy[key];
  return copy;
}

function settingsWithoutCounters(value: unknown): unknown {
  return isJsonObject(value) && Array.isArray(value['rules']) ? { ...value, rules: value['rules'].map(ruleWithoutCounters) } : value;
}

/** What the schema cannot say: a latency range the right way round, and a path glob that can be matched. */
function checkRule(rule: FaultRule, where: string): void {
  const latency = rule.latency;
  if (typeof latency === 'object' && 'min' in latency && latency.min > latency.max) {
    throw new FaultRuleError(`${where}.latency.min must not exceed latency.max.`);
  }
  // A cap below the median makes every draw the cap: a fixed delay written as a distribution, surely a slip.
  if (typeof latency === 'object' && 'median' in latency && (latency.max ?? DEFAULT_LOGNORMAL_MAX_MS) < latency.median) {
    throw new FaultRuleError(
      latency.max === undefined
        ? `${where}.latency.median must not exceed ${DEFAULT_LOGNORMAL_MAX_MS}, the cap of a latency without max; give latency.max.`
        : `${where}.latency.max must not be below latency.median.`,
    );
  }
  const problem = rule.path === undefined ? undefined : (pathPatternProblem(rule.path) ?? neverFaulted(rule.path));
  if (problem !== undefined) throw new FaultRuleError(`${where}.path ${problem}.`);
  for (const [name, value] of Object.entries(rule.headers ?? {})) {
    const unmet = headerProblem(name, value);
    if (unmet !== undefined) throw new FaultRuleError(`${where}.headers: ${unmet}.`);
  }
}

/** RFC 9110 §5.6.2's token: what a field name is made of (https://www.rfc-editor.org/rfc/rfc9110#section-5.6.2). */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** A field value as Node hands it over: its bytes one character each, without the spaces and tabs around it (§5.5). */
const FIELD_VALUE = /^(?:[\x21-\x7e\x80-\xff](?:[\t\x20-\x7e\x80-\xff]*[\x21-\x7e\x80-\xff])?)?$/;

/** Why no request can carry `name: value` as the rule compares it; such a rule was accepted and never fired. */
function headerProblem(name: string, value: string): string | undefined {
  if (!TOKEN.test(name)) return `'${name}' is no header name a request can carry (letters, digits and !#$%&'*+-.^_\`|~ only)`;
  if (/^[ \t]|[ \t]$/.test(value)) return `the value of '${name}' starts or ends with a space or a tab, which a request's header value never does`;
  if (!FIELD_VALUE.test(value))
    return `the value of '${name}' holds a control character or one past U+00FF, which a request's header value, read one byte a character, never does`;
  return undefined;
}

const BATCH = /^\/(beta|v1\.0)\/\$batch$/i;
const CSDL = /^\/(beta|v1\.0)\/\$metadata$/i;
const VERSION = /^(beta|v1\.0)$/i;

/**
 * A path no Graph request the rules meet can have (docs/faults.md): the admin API, a $batch request itself, the CSDL
 * document, a path outside /beta and /v1.0. Such a rule was accepted and never fired, so a test of a client's
 * handling of it passed untested.
 */
function neverFaulted(pattern: string): string | undefined {
  if (isAdminPath(pattern)) return `'${pattern}' is the emulator's own API, which is never faulted`;
  // As the $batch and $metadata steps read a path: `/%62eta/$batch` is the batch.
  const path = withoutTrailingSlashes(unreservedDecoded(pattern));
  if (BATCH.test(path))
    return `'${pattern}' is a $batch request itself, which is never faulted: its items are, each by its own method and path (such as /beta/identityGovernance/entitlementManagement/accessPackages)`;
  if (CSDL.test(path)) return `'${pattern}' is the CSDL document, which is never faulted`;
  // Outside Graph's versions only a 404 is served. Mostly a $batch item's url copied as it is written, relative to
  // its version: the item is matched with it, `/beta/identityGovernance/…`.
  const first = path.split('/')[1]!;
  if (!/[*?[\]{}\\]/.test(first) && !VERSION.test(first))
    return `'${pattern}' names no Graph path: Graph's paths start with /beta or /v1.0, and a $batch item's url is matched with its batch's version in front (/beta${path === '/' ? '' : path})`;
  return undefined;
}

function describe(errors: ValidateFunction['errors'], where: string, whole?: string): string {
  // A misspelt field comes first: `{"staus": 503}` also lacks an effect, and "needs an effect" would not name the
  // field to fix (nor `{"min": 1, "mx": 5}` its latency's).
  const unknown = errors?.find((error) => error.keyword === 'additionalProperties');
  return firstProblem(unknown === undefined ? errors : [unknown], where, whole).sentence;
}
