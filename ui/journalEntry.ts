// One entry of the request journal as GET /_emulator/requests answers it, as the requests view reads it.

/**
 * An entry as the admin API answers it (server/http/journalEntry.ts). The page's bundle imports nothing of the server,
 * so the type is written again here; tests/types/journalEntryAgrees.ts fails the typecheck when the two part.
 */
export interface JournalEntry {
  id: string;
  time: string;
  tenant: string;
  method: string;
  path: string;
  query: Record<string, unknown>;
  requestHeaders: Record<string, unknown>;
  requestBody: unknown;
  requestBodyTruncated: boolean;
  /** null when the connection closed before an answer (a dropped-connection fault, a client gone). */
  status: number | null;
  responseHeaders: Record<string, unknown>;
  responseBody: unknown;
  responseBodyTruncated: boolean;
  durationMs: number;
  fault: { source: string; effect: string } | null;
  batchId: string | null;
  batchItemId: string | null;
}
