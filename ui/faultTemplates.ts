// The kinds of fault the page offers to add, each a rule of the emulator's one vocabulary (docs/faults.md,
// fixtures/faults.schema.json) with the fields a person fills in. Plain data, no DOM.

export interface EffectField {
  key: 'retryAfter' | 'latency' | 'latencyMax' | 'status';
  label: string;
  /** The value the field starts with ('' for none). */
  initial: string;
  /** For a choice: the values offered. */
  choices?: readonly string[];
  hint?: string;
}

export interface FaultTemplate {
  id: string;
  label: string;
  /** The rule's effect before the fields are applied. */
  effect: Readonly<Record<string, unknown>>;
  fields: readonly EffectField[];
  /** A method the template usually targets (a write for "after commit"). */
  method?: string;
}

export const FAULT_TEMPLATES: readonly FaultTemplate[] = [
  {
    id: 'throttled',
    label: '429 Too Many Requests, with Retry-After',
    effect: { status: 429 },
    fields: [{ key: 'retryAfter', label: 'Retry-After (s)', initial: '10', hint: 'The same client retrying sooner gets another 429.' }],
  },
  {
    id: 'unavailable',
    label: '503 Service Unavailable',
    effect: { status: 503 },
    fields: [{ key: 'retryAfter', label: 'Retry-After (s)', initial: '', hint: 'Empty: no Retry-After header.' }],
  },
  { id: 'error', label: '500 Internal Server Error', effect: { status: 500 }, fields: [] },
  {
    id: 'latency',
    label: 'Latency',
    effect: {},
    fields: [
      { key: 'latency', label: 'Delay (ms)', initial: '300' },
      { key: 'latencyMax', label: 'Up to (ms)', initial: '', hint: 'Set it for a delay drawn between the two.' },
    ],
  },
  { id: 'reset', label: 'Connection reset', effect: { drop: 'reset' }, fields: [] },
  { id: 'hang', label: 'Hang (never answer)', effect: { drop: 'hang' }, fields: [] },
  {
    id: 'after-commit',
    label: 'Fail after commit (the write happens)',
    effect: { phase: 'after' },
    fields: [{ key: 'status', label: 'Status', initial: '504', choices: ['500', '502', '503', '504'] }],
    method: 'POST',
  },
];

export interface MatchFields {
  name?: string;
  method?: string;
  path?: string;
  probability?: string;
  after?: string;
  every?: string;
  times?: string;
}

const numberOf = (text: string | undefined): number | undefined => (text === undefined || text.trim() === '' ? undefined : Number(text));

/** The rule a template and its fields make: what POST /_emulator/faults is sent (the server checks it). */
export function ruleOf(template: FaultTemplate, effect: Readonly<Record<string, string>>, match: MatchFields): Record<string, unknown> {
  const rule: Record<string, unknown> = {};
  if (match.name?.trim()) rule['name'] = match.name.trim();
  if (match.method) rule['method'] = match.method;
  if (match.path?.trim()) rule['path'] = match.path.trim();
  for (const key of ['probability', 'after', 'every', 'times'] as const) {
    const value = numberOf(match[key]);
    if (value !== undefined) rule[key] = value;
  }
  Object.assign(rule, template.effect);
  const status = numberOf(effect['status']);
  if (status !== undefined) rule['status'] = status;
  const retryAfter = numberOf(effect['retryAfter']);
  if (retryAfter !== undefined) rule['retryAfter'] = retryAfter;
  const latency = numberOf(effect['latency']);
  const latencyMax = numberOf(effect['latencyMax']);
  if (latency !== undefined) rule['latency'] = latencyMax === undefined ? latency : { min: latency, max: latencyMax };
  return rule;
}

type Rule = Readonly<Record<string, unknown>>;
/** A rule as the admin API lists it: with how often it matched and fired. */
export type StoredRule = Record<string, unknown> & { matched: number; fired: number };

function ordinal(n: unknown): string {
  const value = Number(n);
  const tens = value % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[value % 10] ?? 'th');
  return `${value}${suffix}`;
}

/** What a rule matches, in words: `POST /beta/** · every 5th · 3 times`. */
export function describeMatch(rule: Rule): string {
  const parts = [`${(rule['method'] as string | undefined) ?? 'any method'} ${(rule['path'] as string | undefined) ?? 'any path'}`];
  if (rule['tenant'] !== undefined) parts.push(`tenant ${rule['tenant']}`);
  if (rule['headers'] !== undefined) parts.push(`headers ${JSON.stringify(rule['headers'])}`);
  if (rule['probability'] !== undefined) parts.push(`probability ${rule['probability']}`);
  if (rule['after'] !== undefined) parts.push(`after ${rule['after']}`);
  if (rule['every'] !== undefined) parts.push(`every ${ordinal(rule['every'])}`);
  if (rule['times'] !== undefined) parts.push(`${rule['times']} times`);
  return parts.join(' · ');
}

/** What a rule does, in words: `429, Retry-After 10 s`, `reset`, `latency 100–500 ms`, `504 after commit`. */
export function describeEffect(rule: Rule): string {
  const parts: string[] = [];
  if (rule['status'] !== undefined) parts.push(String(rule['status']) + (rule['code'] === undefined ? '' : ` ${rule['code']}`));
  if (rule['drop'] !== undefined) parts.push(`drop: ${rule['drop']}`);
  if (rule['retryAfter'] !== undefined) parts.push(`Retry-After ${rule['retryAfter']} s`);
  const latency = rule['latency'] as number | { min?: number; max?: number; median?: number } | undefined;
  if (typeof latency === 'number') parts.push(`latency ${latency} ms`);
  else if (latency?.median !== undefined) parts.push(`latency median ${latency.median} ms`);
  else if (latency !== undefined) parts.push(`latency ${latency.min}–${latency.max} ms`);
  if (rule['phase'] === 'after') parts.push('after commit');
  return parts.join(', ');
}

/** A rule without the counters GET adds: what PUT takes back. */
export function withoutCounters(rule: Rule): Record<string, unknown> {
  const { matched: _m, fired: _f, ...rest } = rule;
  return rest;
}

/** The form's fields a message can name: the match fields and the effect fields. */
export type FormFieldKey = keyof MatchFields | EffectField['key'];

const FORM_FIELDS: ReadonlySet<string> = new Set(['name', 'method', 'path', 'probability', 'after', 'every', 'times', 'status', 'retryAfter', 'latency']);

/**
 * The form field a refused rule's message names, as the emulator words it (`rule.path must match pattern "^/".`,
 * `rule.latency.min must not exceed latency.max.`); undefined when it names none the form has.
 */
export function fieldNamed(message: string): FormFieldKey | undefined {
  const named = /\brule\.([A-Za-z]+)(?:\.([A-Za-z]+))?/.exec(message);
  if (named === null || !FORM_FIELDS.has(named[1]!)) return undefined;
  if (named[1] === 'latency') return named[2] === 'max' ? 'latencyMax' : 'latency';
  return named[1] as FormFieldKey;
}
