// Ordered fault rules with their counters. Every rule that matches a request counts it; the first one
// that also fires (after/every/times/probability) decides the fault and later rules are not consulted.
import picomatch from 'picomatch';
import type { Random } from './random.js';
import type { FaultRule } from './ruleSchema.js';

export interface RequestFacts {
  method: string;
  path: string;
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
  matchesPath(path: string): boolean;
}

function compile(rule: FaultRule, index: number): CompiledRule {
  // Graph's URL paths are case-insensitive; a pattern without glob characters is an exact match.
  const matchesPath = rule.path === undefined ? () => true : picomatch(rule.path, { nocase: true, dot: true });
  return { rule, index, matched: 0, fired: 0, matchesPath };
}

function matches(state: CompiledRule, facts: RequestFacts): boolean {
  const { rule } = state;
  if (rule.method !== undefined && rule.method !== facts.method) return false;
  if (!state.matchesPath(facts.path.replace(/(.)\/+$/, '$1'))) return false;
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

  append(rule: FaultRule): RuleState {
    const compiled = compile(rule, this.rules.length);
    this.rules.push(compiled);
    return compiled;
  }

  list(): readonly RuleState[] {
    return this.rules;
  }

  /** The rule that fires for this request, counting matches on the way; undefined when none fires. */
  decide(facts: RequestFacts, random: Random): RuleState | undefined {
    for (const state of this.rules) {
      if (!matches(state, facts)) continue;
      state.matched += 1;
      if (fires(state, random)) {
        state.fired += 1;
        return state;
      }
    }
    return undefined;
  }
}
