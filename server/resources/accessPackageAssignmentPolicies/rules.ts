// What Graph requires of policies beyond their schema: a policy belongs to an existing package (a create naming
// none or an unknown one is entitlement management's 400 InvalidModel, chosen: not documented), and the questions
// it asks get ids from the service: "Question IDs are read-only and are included in the response by default" (the
// create page, example 3). https://learn.microsoft.com/graph/api/entitlementmanagement-post-accesspackageassignmentpolicies?view=graph-rest-beta
import { randomUUID } from 'node:crypto';
import { GraphError } from '../../graphErrors.js';
import type { MutableRow, ResourceRules, Row } from '../definition.js';
import { keepBetaSettings } from './keptBetaSettings.js';
import { keptV1Settings } from './keptV1Settings.js';
import { keptQuestions } from '../accessPackages/v1Questions.js';
import { refuseTextsWithoutLanguage } from './localizedTexts.js';
import { refuseManagerLevels } from './managerLevels.js';
import { refuseNegativeCounts, refuseNegativeDurations } from './negativeCounts.js';
import { refuseUndocumentedV1Values, refuseUndocumentedValues } from './documentedValues.js';
import { isGuid } from '../../guid.js';

/**
 * The questions with the ids the service gives them: a new GUID each, whatever was sent, but on a PUT an id that
 * names a question this policy already has keeps it (once), so that a GET sent back as a PUT keeps its ids (chosen:
 * the page says only that they are read-only).
 */
function withQuestionIds(questions: unknown, existing: unknown = []): unknown {
  if (!Array.isArray(questions)) return questions;
  const own = new Map<string, string>();
  for (const question of Array.isArray(existing) ? existing : []) {
    const id = (question as Row | null)?.['id'];
    if (typeof id === 'string') own.set(id.toLowerCase(), id);
  }
  return questions.map((q) => {
    if (typeof q !== 'object' || q === null) return q;
    const sent = (q as Row)['id'];
    const key = typeof sent === 'string' ? sent.toLowerCase() : undefined;
    const kept = key === undefined ? undefined : own.get(key);
    if (key !== undefined) own.delete(key);
    return { ...(q as Row), id: kept ?? randomUUID() };
  });
}

/**
 * The package a policy's body names, by `accessPackageId` or a nested `accessPackage: {id}`; InvalidModel when it
 * names none, one that is no GUID, or two different ones (chosen: not documented; neither is silently preferred).
 */
function packageOfPolicy(record: MutableRow, body: Row): string {
  const nested = (body['accessPackage'] as Row | undefined)?.['id'];
  const named = record['accessPackageId'] ?? nested;
  if (typeof named !== 'string' || !isGuid(named)) throw GraphError.of('invalidModel');
  if (nested !== undefined && nested !== null && (typeof nested !== 'string' || nested.toLowerCase() !== named.toLowerCase())) {
    throw GraphError.of('invalidModel');
  }
  return named.toLowerCase();
}

/**
 * What a write through either version may not send: a count below zero, a manager level Graph does not have, a
 * question's text in no language (body holds both versions' questions in beta's shape), a value or a number of
 * approval stages the pages do not list (documentedValues.ts).
 */
function refuseOutOfRange(body: Row, version: string): void {
  const v1Settings = (body['v1Settings'] as Row | null | undefined) ?? {};
  if (version === 'v1.0') refuseNegativeDurations(v1Settings);
  else refuseNegativeCounts(body);
  if (version === 'v1.0') refuseUndocumentedV1Values(v1Settings);
  else refuseUndocumentedValues(body);
  refuseManagerLevels(version === 'v1.0' ? v1Settings : body);
  refuseTextsWithoutLanguage(body);
}

export const policyRules: ResourceRules = {
  creating(record, body, { store, version }) {
    refuseOutOfRange(body, version);
    const accessPackageId = packageOfPolicy(record, body);
    if (!store.get('accessPackages', accessPackageId)) throw GraphError.of('invalidModel');
    record['accessPackageId'] = accessPackageId;
    record['questions'] = withQuestionIds(record['questions']);
    record['v1Settings'] = body['v1Settings'] ?? null;
  },
  updating(record, existing, body, { version }) {
    refuseOutOfRange(body, version);
    // A v1.0 write keeps what v1.0 cannot say (the questions among it) before the questions get their ids.
    if (version === 'v1.0') keepBetaSettings(record, existing, body);
    if (version === 'v1.0') record['questions'] = keptQuestions(record['questions'], existing['questions']);
    record['questions'] = withQuestionIds(record['questions'], existing['questions']);
    // A write through v1.0 replaces the v1.0 settings; one through beta keeps those whose beta meaning it leaves as
    // it was, and v1.0 shows what the new beta ones mean for the rest.
    record['v1Settings'] = version === 'v1.0' ? (body['v1Settings'] ?? null) : keptV1Settings(existing, record);
  },
};
