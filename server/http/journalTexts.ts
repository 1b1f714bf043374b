// An entry's texts as the request journal's ring keeps them (journalRing.ts): seven texts in a fixed order, each
// cut at TEXT_LIMIT characters, the answer's headers as the header block Node writes, and a body of DEFLATE_FROM
// characters or more deflated when that makes it smaller, once the ring's live entries take DEFLATE_ABOVE_BYTES.
// Why deflated: at 100,000 records a thousand entries of first pages held 17 MB as text and 2 MB deflated
// (bench/README.md, "Memory at 100,000 records"). Why not always: deflating a 16 KiB body takes 80–90 µs, a sixth
// of a $batch of 20 GETs, to save memory that a journal of a few MB does not need; the bodies of gets and creates
// stay under DEFLATE_FROM and cost no compression.
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { StoredEntry } from './requestJournal.js';

/**
 * Characters kept of each text that is not a body (path, query, header blocks, a $batch item's id): Node's parser
 * delivers at most 16 KiB of headers, so only a $batch item comes near it. With the bodies cut at BODY_LIMIT, no
 * entry can take more than a few hundred KB of the ring.
 */
export const TEXT_LIMIT = 16 * 1024;
/** Characters from which a body is kept deflated (zlib level 1: 80–90 µs for 16 KiB of JSON). */
export const DEFLATE_FROM = 4 * 1024;
/** Bytes the ring's live entries take before long bodies are deflated (or half its budget, if less). */
export const DEFLATE_ABOVE_BYTES = 4 * 1024 * 1024;
/** How many texts an entry has, and where its two bodies are among them. */
export const TEXT_COUNT = 7;
export const REQUEST_BODY_TEXT = 3;
export const RESPONSE_BODY_TEXT = 5;

/** The first `limit` UTF-16 units of a text, one fewer when the last would be half of a surrogate pair. */
export function cutText(text: string, limit: number): string {
  const end = (text.charCodeAt(limit - 1) & 0xfc00) === 0xd800 ? limit - 1 : limit;
  return text.slice(0, end);
}

/** The entry's texts in the ring's order, each cut at TEXT_LIMIT; an absent one as ''. */
export function entryTexts(entry: StoredEntry): string[] {
  const texts = [
    entry.path,
    entry.query,
    entry.requestHeaders,
    entry.requestBody ?? '',
    entry.responseHeaders,
    entry.responseBody ?? '',
    entry.batchItemId ?? '',
  ];
  for (let i = 0; i < TEXT_COUNT; i += 1) if (texts[i]!.length > TEXT_LIMIT) texts[i] = cutText(texts[i]!, TEXT_LIMIT);
  return texts;
}

/** A body's bytes deflated, when it is long enough to be worth it and comes out smaller; else undefined. */
export function deflatedBody(text: string): Buffer | undefined {
  if (text.length < DEFLATE_FROM) return undefined;
  const deflated = deflateRawSync(text, { level: 1 });
  // Fewer bytes than characters: fewer than the text's UTF-8 bytes too.
  return deflated.length < text.length ? deflated : undefined;
}

/** A body kept deflated, as text again. */
export function inflatedBody(bytes: Uint8Array): string {
  return inflateRawSync(bytes).toString('utf8');
}
