// A loaded policy's questions each get an id, as a create gives every question one ("Question IDs are read-only and
// are included in the response by default", the create page, example 3): v1.0 reads them as entities, whose key is
// never null, so a question loaded without one answered `"id": null` through …/questions and $expand=questions, could
// not be read by its path, and its v1.0 GET was refused when sent back as a PUT. The id is derived from the policy's
// id and the question's place, so a reset with the same file gives the same ids (chosen: not documented, Graph has no
// loads); a question that has an id keeps it.
// https://learn.microsoft.com/graph/api/entitlementmanagement-post-accesspackageassignmentpolicies?view=graph-rest-beta
import { nameBasedGuid } from '../nameBasedGuid.js';

type Row = Record<string, unknown>;

const hasId = (question: unknown): boolean => typeof question !== 'object' || question === null || typeof (question as Row)['id'] === 'string';

/** The policy, with an id for each of its questions that has none (the policy itself when all have one). */
export function withLoadedQuestionIds(policy: Row): Row {
  const questions = policy['questions'];
  if (!Array.isArray(questions) || questions.every(hasId)) return policy;
  const ids = questions.map((question, index) =>
    hasId(question) ? question : { ...(question as Row), id: nameBasedGuid(`${String(policy['id'])}/questions/${index}`) },
  );
  return { ...policy, questions: ids };
}

/**
 * The problem with a loaded policy whose questions repeat an id (compared as the path `…/questions/{id}` finds one,
 * ignoring case), or undefined: `…/questions/{id}` would read only the first, and a v1.0 GET sent back as a PUT would
 * give the second a new id. A create never makes them, since it gives each question its own id.
 */
export function repeatedQuestionId(policy: Row): string | undefined {
  const questions = policy['questions'];
  if (!Array.isArray(questions)) return undefined;
  const seen = new Map<string, number>();
  for (const [index, question] of questions.entries()) {
    const id = (question as Row | null)?.['id'];
    if (typeof id !== 'string') continue;
    const first = seen.get(id.toLowerCase());
    if (first !== undefined) return `property 'id' of questions[${index}] repeats '${id}' of questions[${first}]`;
    seen.set(id.toLowerCase(), index);
  }
  return undefined;
}
