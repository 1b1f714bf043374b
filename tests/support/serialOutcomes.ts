// What a run of requests leaves, in a form two runs compare in (tests/http/concurrentSerialOrders.test.ts): each
// answer's status, error and admin body, each $batch item's; every stored record, with the ids the run made named by
// what they hold (a create's id is random) and no timestamps (each run has its own clock); the baselines' records.
import { COLLECTION_NAMES } from '../../server/collections.js';
import type { Baseline, Baselines } from '../../server/store/baselines.js';
import type { Dataset } from '../../server/store/records.js';
import type { Store } from '../../server/store/store.js';
import type { Answered, Sent } from './inProcessRequests.js';

type Rec = Record<string, unknown>;

export interface Outcome {
  answers: unknown[];
  /** Null when the tenant is not there (dropped). */
  records: Record<string, unknown[]> | null;
  baselines: unknown[];
}

/**
 * An error's message; an admin request's 404 of a tenant not there says how a tenant is added, except that of a
 * drop ("There is no tenant 'x'."): either is the answer of the order that drops the tenant first.
 */
function messageOf(sent: Sent, message: unknown): unknown {
  if (!sent.url.startsWith('/_emulator/') || typeof message !== 'string') return message;
  return message.replace(/^(There is no tenant '[^']+')[:.].*$/, '$1');
}

/** The parts of an answer that a serial order decides: no generated ids, no dates. */
function answerOf(sent: Sent, answer: Answered): unknown {
  if (answer.status >= 400) return { status: answer.status, code: answer.body?.error?.code, message: messageOf(sent, answer.body?.error?.message) };
  if (sent.url.startsWith('/_emulator/') && answer.body !== undefined) {
    const { createdDateTime: _, ...body } = answer.body as Rec;
    return { status: answer.status, body };
  }
  return { status: answer.status };
}

/** What names a record the run made: the same in every order that makes it. */
function labelOf(collection: string, record: Rec, named: (id: unknown) => unknown): string {
  switch (collection) {
    case 'accessPackageResourceRoleScopes':
      return `${collection}:${named(record['accessPackageId'])}:${record['accessPackageResourceRoleId']}:${record['accessPackageResourceScopeId']}`;
    case 'accessPackageIncompatibilities':
      return `${collection}:${named(record['accessPackageId'])}:${named(record['incompatibleAccessPackageId'])}:${record['incompatibleGroupId']}`;
    default:
      return `${collection}:${record['displayName']}`;
  }
}

/** Links after the records they name: their labels name their packages. */
const LABEL_ORDER = [...COLLECTION_NAMES].sort(
  (a, b) =>
    Number(a === 'accessPackageResourceRoleScopes' || a === 'accessPackageIncompatibilities') -
    Number(b === 'accessPackageResourceRoleScopes' || b === 'accessPackageIncompatibilities'),
);

/** A tenant's records (or a baseline's), without dates, the ids the run made named by what they hold, sorted by id. */
function canonical(dataset: Dataset, known: ReadonlySet<unknown>): Record<string, unknown[]> {
  const labels = new Map<unknown, string>();
  const named = (id: unknown) => labels.get(id) ?? id;
  for (const name of LABEL_ORDER) {
    for (const record of dataset[name] as unknown as Rec[]) if (!known.has(record['id'])) labels.set(record['id'], labelOf(name, record, named));
  }
  const records: Record<string, unknown[]> = {};
  for (const name of COLLECTION_NAMES) {
    records[name] = (dataset[name] as unknown as Rec[])
      .map((record) => Object.fromEntries(Object.entries(record).flatMap(([key, value]) => (key.endsWith('DateTime') ? [] : [[key, named(value)]]))))
      .sort((a, b) => String(a['id']).localeCompare(String(b['id'])));
  }
  return records;
}

/** The baselines a store keeps, with their records: the admin API shows only their counts. */
function baselinesOf(store: Store): readonly Baseline[] {
  return (store as unknown as { baselines: Baselines }).baselines.all();
}

export function outcomeOf(sent: readonly Sent[], answers: readonly Answered[], store: Store | undefined, initial: Dataset): Outcome {
  const answered = sent.map((one, i) => answerOf(one, answers[i]!));
  if (store === undefined) return { answers: answered, records: null, baselines: [] };
  const known = new Set(COLLECTION_NAMES.flatMap((name) => (initial[name] as unknown as Rec[]).map((r) => r['id'])));
  return {
    answers: answered,
    records: canonical(store.snapshot(), known),
    baselines: baselinesOf(store).map(({ info, dataset }) => ({ name: info.name, records: dataset === undefined ? null : canonical(dataset, known) })),
  };
}
