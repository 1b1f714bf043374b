// A policy's questions as v1.0 shows them in an accessPackageAssignmentRequestRequirements. The policy keeps beta's
// shape (v1.0 models questions as entities the emulator does not serve as a path); v1.0's question has its text as a
// string with `localizations` beside it, where beta's has `text: {defaultText, localizedTexts}`, and its multiple
// choice question says `isMultipleSelectionAllowed` where beta says `allowsMultipleSelection`.
// https://learn.microsoft.com/graph/api/resources/accesspackageassignmentrequestrequirements?view=graph-rest-1.0
// https://learn.microsoft.com/graph/api/resources/accesspackagetextinputquestion?view=graph-rest-1.0
// https://learn.microsoft.com/graph/api/resources/accesspackagemultiplechoicequestion?view=graph-rest-1.0
import type { Row } from '../definition.js';

const asRow = (value: unknown): Row => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Row) : {});
const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** Beta's accessPackageLocalizedContent as v1.0's pair of a text and its localizations. */
function localized(content: unknown): { text: unknown; localizations: unknown[] } {
  const row = asRow(content);
  return { text: row['defaultText'] ?? null, localizations: asList(row['localizedTexts']) };
}

function v1Choice(choice: unknown): Row {
  const row = asRow(choice);
  const { text, localizations } = localized(row['displayValue']);
  return { actualValue: row['actualValue'] ?? null, text, localizations };
}

/** Multiple choice when beta's type names it; any other question (a text input, one sent without a type) reads as text input (chosen). */
function isMultipleChoice(question: Row): boolean {
  return typeof question['@odata.type'] === 'string' && /accessPackageMultipleChoiceQuestion$/i.test(question['@odata.type']);
}

/** One stored (beta) question in v1.0's shape, with the concrete type it has there: accessPackageQuestion is abstract. */
export function v1Question(stored: unknown): Row {
  const question = asRow(stored);
  const { text, localizations } = localized(question['text']);
  const common = {
    id: question['id'] ?? null,
    isAnswerEditable: question['isAnswerEditable'] ?? null,
    isRequired: question['isRequired'] ?? null,
    localizations,
    sequence: question['sequence'] ?? null,
    text,
  };
  if (isMultipleChoice(question))
    return {
      '@odata.type': '#microsoft.graph.accessPackageMultipleChoiceQuestion',
      ...common,
      choices: asList(question['choices']).map(v1Choice),
      isMultipleSelectionAllowed: question['allowsMultipleSelection'] ?? null,
    };
  return {
    '@odata.type': '#microsoft.graph.accessPackageTextInputQuestion',
    ...common,
    isSingleLineQuestion: question['isSingleLineQuestion'] ?? null,
    regexPattern: question['regexPattern'] ?? null,
  };
}

/** v1.0's text and its localizations as beta's accessPackageLocalizedContent. */
function localizedContent(text: unknown, localizations: unknown): Row {
  return { defaultText: text ?? null, localizedTexts: asList(localizations) };
}

/**
 * One v1.0 question, as a create or PUT of a v1.0 policy sends it (its schema checked), in the beta shape the policy
 * stores: the inverse of v1Question, so that either version reads back what the other wrote.
 */
export function betaQuestion(sent: unknown): Row {
  const question = asRow(sent);
  const common = {
    ...(question['id'] === undefined ? {} : { id: question['id'] }),
    isAnswerEditable: question['isAnswerEditable'] ?? null,
    isRequired: question['isRequired'] ?? null,
    sequence: question['sequence'] ?? null,
    text: localizedContent(question['text'], question['localizations']),
  };
  if (isMultipleChoice(question))
    return {
      '@odata.type': '#microsoft.graph.accessPackageMultipleChoiceQuestion',
      ...common,
      allowsMultipleSelection: question['isMultipleSelectionAllowed'] ?? null,
      choices: asList(question['choices']).map((choice) => ({
        actualValue: asRow(choice)['actualValue'] ?? null,
        displayValue: localizedContent(asRow(choice)['text'], asRow(choice)['localizations']),
      })),
    };
  return {
    '@odata.type': '#microsoft.graph.accessPackageTextInputQuestion',
    ...common,
    isSingleLineQuestion: question['isSingleLineQuestion'] ?? null,
    regexPattern: question['regexPattern'] ?? null,
  };
}

/**
 * The questions a v1.0 PUT sends (in beta's shape, betaQuestion), each replaced by the policy's own question of the
 * same id when v1.0 shows that one exactly as sent: a v1.0 GET sent back unchanged keeps what beta wrote that v1.0
 * has no words for (a null text or list, the form of its @odata.type), as keptBetaSettings.ts keeps the settings.
 */
export function keptQuestions(sent: unknown, existing: unknown): unknown {
  if (!Array.isArray(sent) || !Array.isArray(existing)) return sent;
  const shown = (question: unknown) => JSON.stringify({ ...v1Question(question), id: null });
  return sent.map((question) => {
    const id = asRow(question)['id'];
    const own = typeof id !== 'string' ? undefined : existing.find((q) => String(asRow(q)['id']).toLowerCase() === id.toLowerCase());
    return own !== undefined && shown(own) === shown(question) ? own : question;
  });
}
