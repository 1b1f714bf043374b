// The fault engine of one emulator: the rule list, the throttling profile, the seeded random sources (one per
// tenant), and the connections held open by `hang`. The faults file, the admin API and the request header all
// end up here.
import type { Socket } from 'node:net';
import { MAX_HANG_MS, MAX_HUNG_CONNECTIONS } from './effects.js';
import { FAULT_HEADER, parseFaultHeader } from './header.js';
import type { Random } from '../random.js';
import { type FaultStream, TenantRandoms } from './tenantRandoms.js';
import { matchedPath } from './matchedPath.js';
import { RetryAfterLedger } from './retryAfter.js';
import { type RequestFacts, RuleSet } from './rules.js';
import { FaultRuleError } from '../errors.js';

/** The largest seed, as the SEED setting takes it. */
const MAX_SEED = 2 ** 31 - 1;
import { MAX_RULES, parseFaultSettings, type FaultRule, type FaultSettings, type ThrottleProfile } from './ruleSchema.js';
import { systemClock, TokenBuckets, type Clock, type ThrottleResult } from './throttle.js';

export interface FaultEngineOptions {
  rules?: readonly FaultRule[];
  /** The throttling profile; none when absent or null. */
  throttle?: ThrottleProfile | null;
  /** Seeds the random source for probabilities and latencies (the SEED setting). */
  seed?: number;
  /** Honour the X-Emulator-Fault request header (default true; FAULT_HEADER=off). */
  header?: boolean;
  clock?: Clock;
}

/** The faults chosen for one request, and where they came from (for logs). */
export interface ChosenFault {
  /** What fired, in order: rules that only add latency, then at most one with a status or a drop. */
  rules: FaultRule[];
  /** `rules[2]`, `rules[0] (slow reads), rules[2]` or `X-Emulator-Fault`. */
  source: string;
  /** The same of the rules that add a latency only: what applied when a phase-after failure was not. */
  latencySource: string;
  /** Gives the failing rule back its turn: a phase-after failure never applied (the request failed on its own). */
  release(): void;
}

interface ThrottleOutcome {
  result: ThrottleResult;
  sendHeaders: boolean;
  /** Graph's `<Scope>/<Limit>/<ApplicationId>/<TenantId>` for x-ms-throttle-scope. */
  scope: string;
}

/** What the engine needs to know of a request: plain facts, read once by the HTTP layer. */
export interface FaultRequest extends RequestFacts {
  /** The bearer token; '' when there is none. */
  token: string;
  /** The token's claims when it is a JWT (appid/azp and tid name the throttle scope). */
  claims: Readonly<Record<string, unknown>> | null;
  /** For a $batch item, its batch's key (http/context.ts): the items of one batch are no retries of each other. */
  batch?: object;
}

const NO_ID = '00000000-0000-0000-0000-000000000000';

/**
 * The same client sending the same request again: its tenant (so that clearing a tenant's faults clears its
 * pending Retry-After), its token, the method and the path as rules match it (matchedPath.ts).
 */
function retryKey(req: FaultRequest): string {
  return `${req.tenant}\u0000${req.token} ${req.method} ${matchedPath(req.path, req.query).toLowerCase()}`;
}

function claim(claims: FaultRequest['claims'], ...names: string[]): string | undefined {
  for (const name of names) {
    const value = claims?.[name];
    if (typeof value === 'string') return value;
  }
  return undefined;
}

export class FaultEngine {
  private readonly rules: RuleSet;
  /** Each tenant's random sources (tenantRandoms.ts). */
  private readonly randoms: TenantRandoms;
  private buckets: TokenBuckets | undefined;
  private readonly clock: Clock;
  private readonly retryAfter: RetryAfterLedger;
  private readonly hung = new Map<Socket, NodeJS.Timeout>();
  private readonly headerEnabled: boolean;
  private readonly stopping = new AbortController();

  constructor(options: FaultEngineOptions = {}) {
    // The SEED setting's range (settings.ts), so a library caller's seed replays as the command line's would.
    if (options.seed !== undefined && !(Number.isInteger(options.seed) && options.seed >= 0 && options.seed <= MAX_SEED)) {
      throw new FaultRuleError(`seed must be a whole number from 0 to ${MAX_SEED}; got ${JSON.stringify(options.seed) ?? String(options.seed)}.`);
    }
    this.randoms = new TenantRandoms(options.seed ?? 42);
    this.headerEnabled = options.header ?? true;
    this.clock = options.clock ?? systemClock;
    // Checked against the faults file's schema now: a rule no request can be answered with (status 99, a path that
    // is no text) is a FaultRuleError naming it here, not a 500 or a TypeError on every request. No rules and no
    // profile need no check, and compile no schema: every start makes an engine, most with nothing in it.
    const nothing = (options.rules === undefined || (Array.isArray(options.rules) && options.rules.length === 0)) && options.throttle === undefined;
    const { rules, throttle } = nothing
      ? { rules: [], throttle: undefined }
      : parseFaultSettings(
          { ...(options.rules === undefined ? {} : { rules: options.rules }), ...(options.throttle === undefined ? {} : { throttle: options.throttle }) },
          '',
          "FaultEngine's options",
        );
    this.rules = new RuleSet(rules);
    this.buckets = throttle ? new TokenBuckets(throttle, this.clock) : undefined;
    this.retryAfter = new RetryAfterLedger(this.clock);
  }

  /** Aborted when the emulator stops: pending delays end and hung connections are released. */
  get signal(): AbortSignal {
    return this.stopping.signal;
  }

  /** The random source of `tenant`'s draws for `stream` (its id lower-cased, as requests carry it). */
  randomFor(tenant: string, stream: FaultStream = 'rules'): Random {
    return this.randoms.of(tenant, stream);
  }

  /** A tenant's fault state back to a start's: its random sources, its clients' pending Retry-After and buckets. */
  private restartTenant(tenant: string): void {
    this.randoms.restart(tenant);
    const mine = (key: string) => key.startsWith(`${tenant}\u0000`);
    this.retryAfter.clearWhere(mine);
    this.buckets?.clearWhere(mine);
  }

  /**
   * Replace the rules (and the throttling profile when the settings name one), restart every tenant's random
   * sequences and fill every client's bucket again (a kept profile included), so a test that installs its faults
   * replays the same way whatever ran before it.
   */
  replace(settings: FaultSettings): void {
    this.rules.replace(settings.rules ?? []);
    const profile = 'throttle' in settings ? settings.throttle : this.buckets?.profile;
    this.buckets = profile ? new TokenBuckets(profile, this.clock) : undefined;
    this.randoms.clear();
    this.retryAfter.clear();
  }

  /** Add a rule at the end; the rule as GET lists it (with its counters), or a FaultRuleError past MAX_RULES. */
  append(rule: FaultRule): FaultRule & { matched: number; fired: number } {
    if (this.rules.list().length >= MAX_RULES)
      throw new FaultRuleError(`There are already ${MAX_RULES} rules, the most an emulator holds; replace them with PUT or remove them with DELETE.`);
    const state = this.rules.append(rule);
    return { ...state.rule, matched: state.matched, fired: state.fired };
  }

  clear(): void {
    this.replace({ rules: [], throttle: undefined });
  }

  /**
   * Replace one tenant's rules (`tenant`, lower-cased), leaving every other rule, its counters and the other
   * tenants' state alone: one test worker's faults never change another's. The tenant's random sequences restart,
   * its clients' buckets fill again and their pending Retry-After goes, as every tenant's do with a replace of all.
   */
  replaceTenant(tenant: string, rules: readonly FaultRule[]): void {
    const others = this.rules.list().filter((s) => s.rule.tenant?.toLowerCase() !== tenant).length;
    if (others + rules.length > MAX_RULES)
      throw new FaultRuleError(`The other tenants' ${others} rules and these ${rules.length} exceed ${MAX_RULES}, the most an emulator holds.`);
    this.rules.replaceTenant(tenant, rules);
    this.restartTenant(tenant);
  }

  /**
   * Remove one tenant's rules and the throttling profile if it is that tenant's; its random sequences restart, its
   * clients' buckets fill again and their pending Retry-After goes.
   */
  clearTenant(tenant: string): void {
    this.rules.replaceTenant(tenant, []);
    this.restartTenant(tenant);
    if (this.buckets?.profile.tenant?.toLowerCase() === tenant) this.buckets = undefined;
  }

  /**
   * The settings as the admin API shows them: each rule with how often it matched and fired; with `tenant`, the
   * rules naming that tenant and the throttling profile if it is that tenant's.
   */
  describe(tenant?: string): { rules: Array<FaultRule & { matched: number; fired: number }>; throttle?: ThrottleProfile } {
    const mine = (named: string | undefined) => tenant === undefined || named?.toLowerCase() === tenant;
    const rules = this.rules
      .list()
      .filter((s) => mine(s.rule.tenant))
      .map((s) => ({ ...s.rule, matched: s.matched, fired: s.fired }));
    return this.buckets && mine(this.buckets.profile.tenant) ? { rules, throttle: this.buckets.profile } : { rules };
  }

  /** The request header's fault, when it carries one and the header is on: it wins over the rules and the Retry-After ledger. */
  headerFault(req: FaultRequest): ChosenFault | undefined {
    const header = this.headerEnabled ? req.header(FAULT_HEADER) : undefined;
    return header === undefined ? undefined : { rules: [parseFaultHeader(header)], source: FAULT_HEADER, latencySource: FAULT_HEADER, release: () => {} };
  }

  /** The rules that fire for the request, counting every rule that matches it. */
  chooseRule(req: FaultRequest): ChosenFault | undefined {
    if (this.rules.list().length === 0) return undefined;
    const fired = this.rules.decide(req, this.randomFor(req.tenant));
    if (fired.length === 0) return undefined;
    const failing = fired.find((s) => s.rule.status !== undefined || s.rule.drop !== undefined);
    const named = (list: typeof fired) => list.map((s) => `rules[${s.index}]${s.rule.name ? ` (${s.rule.name})` : ''}`).join(', ');
    return {
      rules: fired.map((s) => s.rule),
      source: named(fired),
      latencySource: named(fired.filter((s) => s.rule.latency !== undefined)),
      release: () => {
        if (failing !== undefined) failing.fired -= 1;
      },
    };
  }

  /**
   * Take a token for the request's client; undefined when no throttling profile is set. Graph keeps a bucket per
   * app and tenant (https://learn.microsoft.com/graph/throttling-limits#identity-and-access-service-limits), and
   * the 429 names both in x-ms-throttle-scope: the client is counted within its tenant and app, whatever the key,
   * so a client-request-id two tenants' workers both send never spends one's budget on the other's requests.
   */
  throttle(req: FaultRequest): ThrottleOutcome | undefined {
    if (this.buckets === undefined) return undefined;
    const { key = 'token', headers = true, tenant: only } = this.buckets.profile;
    if (only !== undefined && only.toLowerCase() !== req.tenant) return undefined;
    const client = key === 'client-request-id' ? (req.header('client-request-id') ?? req.token) : req.token;
    const app = claim(req.claims, 'appid', 'azp') ?? NO_ID;
    const tenant = claim(req.claims, 'tid') ?? NO_ID;
    const result = this.buckets.take(`${req.tenant}\u0000${app}\u0000${client}`);
    return { result, sendHeaders: headers, scope: `Tenant_Application/ReadWrite/${app}/${tenant}` };
  }

  /** Seconds this client must still wait after an injected 429 for the same request; undefined when none. */
  retryAfterLeft(req: FaultRequest): number | undefined {
    return this.retryAfter.empty ? undefined : this.retryAfter.remaining(retryKey(req), req.batch);
  }

  /** Remembers a rule's 429; another item of the same batch is not its retry. */
  noteRetryAfter(req: FaultRequest, seconds: number): void {
    this.retryAfter.note(retryKey(req), seconds, req.batch);
  }

  /**
   * Hold a connection open until the client gives up, MAX_HANG_MS pass, or the emulator stops. At most
   * MAX_HUNG_CONNECTIONS are held: a new one releases the oldest.
   */
  hang(socket: Socket): void {
    // A request that reaches this point while the emulator is stopping must not hold the stop up.
    if (this.stopping.signal.aborted) {
      socket.destroy();
      return;
    }
    const oldest = this.hung.keys().next().value;
    if (this.hung.size >= MAX_HUNG_CONNECTIONS && oldest !== undefined) this.release(oldest);
    this.hung.set(socket, setTimeout(() => this.release(socket), MAX_HANG_MS).unref());
    socket.once('close', () => this.release(socket));
  }

  private release(socket: Socket): void {
    clearTimeout(this.hung.get(socket));
    this.hung.delete(socket);
    socket.destroy();
  }

  /** How many connections `hang` holds now. */
  get hungConnections(): number {
    return this.hung.size;
  }

  /** Release everything faults hold: pending delays and hung connections. */
  close(): void {
    this.stopping.abort();
    for (const socket of [...this.hung.keys()]) this.release(socket);
  }
}
