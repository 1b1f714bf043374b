// Checked by the typecheck, not run: the admin page's journal entry type (ui/journalEntry.ts, written again there
// because the page's bundle imports nothing of the server) names the same fields as the admin API's
// (server/http/journalEntry.ts), and every entry the API answers is one the page can read.
import type { JournalEntry as ApiEntry } from '../../server/http/journalEntry.js';
import type { JournalEntry as PageEntry } from '../../ui/journalEntry.js';

type SameKeys<A, B> = [Exclude<keyof A, keyof B> | Exclude<keyof B, keyof A>] extends [never] ? true : false;

export const sameFields: SameKeys<ApiEntry, PageEntry> = true;
export const pageReadsApi = (entry: ApiEntry): PageEntry => entry;
