// One entry of the request journal as the requests view shows it (its type: journalEntry.ts): its status in words,
// and the panel a click opens: the request line with its query, both header sets and both bodies (a body the
// journal cut says so).
import { h, prettyJson } from './dom.js';
import type { JournalEntry } from './journalEntry.js';

/** A status as the view shows it, and whether it marks a failure: a request left without an answer is one. */
export const statusText = (status: number | null): string => (status === null ? 'no answer' : String(status));
export const failed = (status: number | null): boolean => status === null || status >= 400;

function bodyText(body: unknown, truncated: boolean): string {
  const text = body === null || body === undefined ? '(no body)' : typeof body === 'string' ? body : prettyJson(body);
  return truncated ? `${text}\n… (truncated by the journal)` : text;
}

function headerTable(caption: string, headers: Record<string, unknown>): HTMLElement {
  return h(
    'table',
    { class: 'headers' },
    h('caption', {}, caption),
    h(
      'tbody',
      {},
      Object.entries(headers).map(([name, value]) =>
        h('tr', {}, h('th', { scope: 'row' }, name), h('td', {}, typeof value === 'string' ? value : JSON.stringify(value))),
      ),
    ),
  );
}

export function details(entry: JournalEntry): HTMLElement[] {
  // A parameter given more than once comes as the list of its values.
  const pairs = Object.entries(entry.query).flatMap(([name, value]) => (Array.isArray(value) ? value : [value]).map((one) => [name, String(one)]));
  const query = pairs.length === 0 ? '' : `?${new URLSearchParams(pairs).toString()}`;
  return [
    h('h2', { id: 'entry-title', tabindex: -1 }, `${entry.method} ${entry.path}`),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, 'Time'),
      h('dd', {}, entry.time),
      h('dt', {}, 'Tenant'),
      h('dd', {}, entry.tenant),
      h('dt', {}, 'Status'),
      h('dd', {}, statusText(entry.status)),
      h('dt', {}, 'Duration'),
      h('dd', {}, `${entry.durationMs} ms`),
      h('dt', {}, 'Fault'),
      h('dd', {}, entry.fault === null ? 'none' : `${entry.fault.effect} (${entry.fault.source})`),
      entry.batchId === null ? null : [h('dt', {}, 'Batch'), h('dd', {}, `request ${entry.batchId}, item ${entry.batchItemId}`)],
    ),
    h('h3', {}, 'Request'),
    h('p', { class: 'mono' }, `${entry.method} ${entry.path}${query}`),
    headerTable('Request headers', entry.requestHeaders),
    h('pre', { class: 'json', role: 'region', tabindex: 0, 'aria-label': 'Request body' }, bodyText(entry.requestBody, entry.requestBodyTruncated)),
    h('h3', {}, 'Response'),
    headerTable('Response headers', entry.responseHeaders),
    h('pre', { class: 'json', role: 'region', tabindex: 0, 'aria-label': 'Response body' }, bodyText(entry.responseBody, entry.responseBodyTruncated)),
  ];
}
