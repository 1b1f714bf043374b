// The writes of the random-kill test, each with the state it leaves: a step knows, before it is sent, what its
// tenant will hold once it is acknowledged, and what it may hold if the answer never comes (all of it, or for a
// $batch any of its items, each a write of its own).
import type { View } from './crashView.js';

export interface State {
  exists: boolean;
  view: View;
  /** Each baseline by name, with the view it holds. */
  baselines: Record<string, View>;
}

export interface Request {
  method: string;
  /** A Graph path under the entitlement management root, or an admin path (starting with /_emulator). */
  path: string;
  body?: unknown;
  statuses: number[];
}

export interface Step {
  label: string;
  /** One request; a $batch when it has several (each an item of it). */
  requests: Request[];
  /** The state after each request alone, in order (applied to the state before the step, one after the other). */
  apply: ((state: State) => State)[];
  /** The ids to refresh from an export once acknowledged (a reset or a restore replaced them). */
  replacesIds?: boolean;
}

export const emptyView = (): View => ({ catalogs: {}, packages: {} });

/** The states a step may leave when its answer never came: none of it, all of it, or any subset of a batch's items. */
export function possibleStates(before: State, step: Step): State[] {
  let states = [before];
  for (const apply of step.apply) states = [...states, ...states.map((s) => apply(structuredClone(s)))];
  return states;
}

/** The state once the step is acknowledged, every request of it applied in order. */
export function acknowledgedState(before: State, step: Step): State {
  return step.apply.reduce((s, apply) => apply(structuredClone(s)), before);
}

export function withView(change: (view: View) => void): (state: State) => State {
  return (state) => {
    change(state.view);
    return state;
  };
}

export function addPackage(view: View, name: string, catalog: string, description: string): void {
  view.packages[name] = { catalog, description, policies: [], roleScopes: [], incompatibleWith: [] };
}

/** A package goes with its policies, role scopes and every incompatibility naming it. */
export function deletePackage(view: View, name: string): void {
  delete view.packages[name];
  for (const p of Object.values(view.packages)) p.incompatibleWith = p.incompatibleWith.filter((n) => n !== name);
}

/** A package moves with its role scopes, which then name the target catalog's resource of the same group. */
export function movePackage(view: View, name: string, catalog: string): void {
  const p = view.packages[name]!;
  p.catalog = catalog;
  p.roleScopes = p.roleScopes.map((s) => s.replace(/@.*$/, `@${catalog}`)).sort();
}

/** A view with its keys in order, as viewOf gives them, so that two views compare by their JSON. */
export function canonical(view: View): View {
  const sorted = <T>(o: Record<string, T>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const packages = Object.fromEntries(
    Object.entries(view.packages).map(([name, p]) => [
      name,
      {
        catalog: p.catalog,
        description: p.description,
        policies: [...p.policies].sort(),
        roleScopes: [...p.roleScopes].sort(),
        incompatibleWith: [...p.incompatibleWith].sort(),
      },
    ]),
  );
  return { catalogs: sorted(view.catalogs), packages: sorted(packages) };
}
