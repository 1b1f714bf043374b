// X-Emulator-Fault: one request's fault as `key=value` pairs separated by `;`, read into the same rule
// shape (and checked by the same schema) as the faults file and the admin API.
//   status=503; retry-after=2     delay=300     delay=100-500     drop=reset     status=504; phase=after
import { FaultRuleError } from '../errors.js';
import { parseFaultRule, type FaultRule } from './ruleSchema.js';

export const FAULT_HEADER = 'X-Emulator-Fault';

/** Header key → rule field. */
const KEYS: Record<string, keyof FaultRule> = {
  status: 'status',
  code: 'code',
  message: 'message',
  'retry-after': 'retryAfter',
  delay: 'latency',
  drop: 'drop',
  phase: 'phase',
};

/** A second header's first pair after the ', ' that joins two (`status=503, delay=100`). */
const JOINED = new RegExp(`,\\s*(?:${Object.keys(KEYS).join('|')})\\s*=`, 'i');

const FIELD_TO_KEY = new Map(Object.entries(KEYS).map(([key, field]) => [field as string, key]));

function value(raw: string): unknown {
  const range = /^(\d+)\s*-\s*(\d+)$/.exec(raw);
  if (range) return { min: Number(range[1]), max: Number(range[2]) };
  return /^-?\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
}

/** The rule the header asks for; throws FaultRuleError naming the bad key. */
export function parseFaultHeader(header: string): FaultRule {
  const rule: Record<string, unknown> = {};
  for (const pair of header
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const eq = pair.indexOf('=');
    const key = (eq < 0 ? pair : pair.slice(0, eq)).trim().toLowerCase();
    const field = Object.hasOwn(KEYS, key) ? KEYS[key] : undefined;
    if (field === undefined) {
      throw new FaultRuleError(`${FAULT_HEADER}: unknown key '${key}'; use ${Object.keys(KEYS).join(', ')}.`);
    }
    if (eq < 0 || pair.slice(eq + 1).trim() === '') throw new FaultRuleError(`${FAULT_HEADER}: '${key}' needs a value.`);
    // Two values for one key: neither is taken over the other without a word.
    if (Object.hasOwn(rule, field)) throw new FaultRuleError(`${FAULT_HEADER}: '${key}' is given more than once.`);
    // The header sent twice arrives as one, its values joined by ', ' (RFC 9110 §5.3; fetch joins them too):
    // `status=503, delay=100` read as a status of '503, delay=100' was refused as no status at all.
    if (JOINED.test(pair.slice(eq + 1)))
      throw new FaultRuleError(`${FAULT_HEADER} is sent more than once (its values arrive joined by ', '): send it once, its pairs separated by ';'.`);
    rule[field] = field === 'code' || field === 'message' ? pair.slice(eq + 1).trim() : value(pair.slice(eq + 1).trim());
  }
  try {
    return parseFaultRule(rule, FAULT_HEADER);
  } catch (err) {
    if (!(err instanceof FaultRuleError)) throw err;
    // Speak the header's vocabulary: `X-Emulator-Fault.retryAfter` → `X-Emulator-Fault retry-after`.
    const message = err.message
      .replace(new RegExp(`^${FAULT_HEADER}\\.(\\w+)`), (_m, f: string) => `${FAULT_HEADER} ${FIELD_TO_KEY.get(f) ?? f}`)
      .replace(/\b(retryAfter|latency)\b/g, (f) => FIELD_TO_KEY.get(f) ?? f)
      // The rule's object forms cannot be written in a header: its own two are named.
      .replace('must be milliseconds, {min, max} or {median, sigma, max}', "must be milliseconds ('300') or a range ('100-500')")
      // A range has no min and max to name in a header: its order is what is wrong.
      .replace('delay.min must not exceed delay.max', () => {
        const { min, max } = rule['latency'] as { min: number; max: number };
        return `delay '${min}-${max}' runs from the longer delay to the shorter; write '${max}-${min}'`;
      });
    throw new FaultRuleError(message);
  }
}
