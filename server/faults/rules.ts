// Ordered fault rules with their counters. Every rule that matches a request counts it. A firing rule
// (after/every/times/probability) that only adds latency lets the rules below it go on, so "slow reads"
// and "5 % 503" combine; the first firing rule with a status or a drop decides the failure and ends the search.
import type { Random } from '../random.js';
import { matchedPath, pathGlob } from './matchedPath.js';
import type { FaultRule } from './ruleSchema.js';

export interface RequestFacts {
  method: string;
  path: string;
  /** The query string as sent, without `?` (a function's parameter alias is read from it: matchedPath.ts). */
  query?: string;
  /** The request's tenant, lower-cased (http/context.ts). */
  tenant: string;
  header(name: string): string | undefined;
}

export interface RuleState {
  readonly rule: FaultRule;
  /** Position in the list, from 0, for logs. */
  readonly index: number;
  matched: number;
  fired: number;
}

interface CompiledRule extends RuleState {
  /** Renumbered in place when a tenant's rules are replaced (replaceTenant). */
  index: number;
  matchesPath(path: string): boolean;
  /** The rule's tenant, lower-cased as request tenants are. */
  tenant: string | undefined;
}

function compile(rule: FaultRule, index: number): CompiledRule {
  // Graph's URL paths are case-insensitive; a pattern without glob characters is an exact match.
  const matchesPath = rule.path === undefined ? () => true : pathGlob(rule.path);
  return { rule, index, matched: 0, fired: 0, matchesPath, tenant: rule.tenant?.toLowerCase() };
}

/** `path` is the request's as matchedPath.ts gives it. */
function matches(state: CompiledRule, facts: RequestFacts, path: string): boolean {
  const { rule } = state;
  if (state.tenant !== undefined && state.tenant !== facts.tenant) return false;
  if (rule.method !== undefined && rule.method !== facts.method) return false;
  if (!state.matchesPath(path)) return false;
  return Object.entries(rule.headers ?? {}).every(([name, value]) => facts.header(name) === value);
}

function fires(state: CompiledRule, random: Random): boolean {
  const { after = 0, every = 1, times, probability = 1 } = state.rule;
  const eligible = state.matched - after;
  if (eligible <= 0 || eligible % every !== 0) return false;
  if (times !== undefined && state.fired >= times) return false;
  return random.chance(probability);
}

export class RuleSet {
  private rules: CompiledRule[] = [];

  constructor(rules: readonly FaultRule[] = []) {
    this.replace(rules);
  }

  replace(rules: readonly FaultRule[]): void {
    this.rules = rules.map(compile);
  }

  /**
   * Replace one tenant's rules (those naming it), keeping every other rule and its counters, in order. The new
   * rules take the place of the tenant's first rule (at the end when it had none): a rule for every tenant
   * listed after them still comes after them, so which rule decides a request does not change.
   */
  replaceTenant(tenant: string, rules: readonly FaultRule[]): void {
    const first = this.rules.findIndex((state) => state.tenant === tenant);
    const kept = this.rules.filter((state) => state.tenant !== tenant);
    const at = first === -1 ? kept.length : first;
    kept.splice(at, 0, ...rules.map((rule) => compile(rule, 0)));
    // The kept rules stay the same objects, renumbered: a request of another tenant under way holds its rule, and a
    // phase-after failure it never applied gives that rule its turn back (`release`), not a copy's.
    for (const [index, state] of kept.entries()) state.index = index;
    this.rules = kept;
  }

  append(rule: FaultRule): RuleState {
    const compiled = compile(rule, this.rules.length);
    this.rules.push(compiled);
    return compiled;
  }

  list(): readonly RuleState[] {
    return this.rules;
  }

  /** The rules that fire for this request, in order, counting matches on the way; empty when none fires. */
  decide(facts: RequestFacts, random: Random): RuleState[] {
    const fired: RuleState[] = [];
    const path = matchedPath(facts.path, facts.query);
    for (const state of this.rules) {
      if (!matches(state, facts, path)) continue;
      state.matched += 1;
      if (!fires(state, random)) continue;
      state.fired += 1;
      fired.push(state);
      if (state.rule.status !== undefined || state.rule.drop !== undefined) break;
    }
    return fired;
  }
}
