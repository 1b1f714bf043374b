// What Graph requires of policies beyond their schema: a policy belongs to an existing package (a create naming
// none or an unknown one is entitlement management's 400 InvalidModel, chosen: not documented), and the questions
// it asks get ids, which are read-only and returned by default (the create page, example 3).
import { randomUUID } from 'node:crypto';
import { GraphError } from '../../graphErrors.js';
import type { MutableRow, ResourceRules, Row } from '../definition.js';
import { keptV1Settings } from './keptV1Settings.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The questions with an id each: the one sent is kept, a missing one generated. */
function withQuestionIds(questions: unknown): unknown {
  if (!Array.isArray(questions)) return questions;
  return questions.map((q) => (typeof q === 'object' && q !== null && typeof (q as Row)['id'] !== 'string' ? { ...(q as Row), id: randomUUID() } : q));
}

export function packageOfPolicy(record: MutableRow, body: Row): string {
  const named = record['accessPackageId'] ?? (body['accessPackage'] as Row | undefined)?.['id'];
  if (typeof named !== 'string' || !GUID.test(named)) throw GraphError.of('invalidModel');
  return named.toLowerCase();
}

export const policyRules: ResourceRules = {
  creating(record, body, { store }) {
    const accessPackageId = packageOfPolicy(record, body);
    if (!store.get('accessPackages', accessPackageId)) throw GraphError.of('invalidModel');
    record['accessPackageId'] = accessPackageId;
    record['questions'] = withQuestionIds(record['questions']);
    record['v1Settings'] = body['v1Settings'] ?? null;
  },
  updating(record, existing, body, { version }) {
    record['questions'] = withQuestionIds(record['questions']);
    // A write through v1.0 replaces the v1.0 settings; one through beta keeps those whose beta meaning it leaves as
    // it was, and v1.0 shows what the new beta ones mean for the rest.
    record['v1Settings'] = version === 'v1.0' ? (body['v1Settings'] ?? null) : keptV1Settings(existing, record);
  },
};
