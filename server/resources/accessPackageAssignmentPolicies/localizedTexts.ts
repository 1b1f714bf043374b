// A question's localized texts each name their language: accessPackageLocalizedText's languageCode is "Required" on
// Graph's pages, in beta and v1.0 alike, and v1.0's CSDL makes it non-nullable, so a beta question with a text of no
// language could be read through v1.0 (which must show it) but never sent back (a v1.0 GET refused as a PUT). A
// policy whose question, or a choice of one, has a localized text without a languageCode is a 400 naming `questions`
// (the wording is chosen: Graph's is not documented). Records already stored are read as they are.
// https://learn.microsoft.com/graph/api/resources/accesspackagelocalizedtext?view=graph-rest-beta,
// https://learn.microsoft.com/graph/api/resources/accesspackagelocalizedtext?view=graph-rest-1.0
import { GraphError } from '../../graphErrors.js';
import type { Row } from '../definition.js';
import { rows } from './subjectSets.js';

/** The localized texts of a beta accessPackageLocalizedContent (a question's text, a choice's displayValue). */
const textsOf = (content: unknown): Row[] => rows((content as Row | null | undefined)?.['localizedTexts']);

/** Refuses a policy body (beta's stored shape, which a v1.0 write's questions are read into) with a text of no language. */
export function refuseTextsWithoutLanguage(body: Row): void {
  for (const question of rows(body['questions'])) {
    const texts = [question['text'], ...rows(question['choices']).map((choice) => choice['displayValue'])].flatMap(textsOf);
    if (texts.some((text) => typeof text['languageCode'] !== 'string')) {
      throw GraphError.of('badRequest', "Invalid value for property 'questions': a localized text's languageCode is required.");
    }
  }
}
