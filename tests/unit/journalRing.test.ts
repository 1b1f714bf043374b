// The request journal's byte ring: whatever the order and sizes of the entries, it holds exactly the newest
// ones its slots and bytes allow, each read back as it was written, and it grows only while it is too small.
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { identityOf } from '../../server/identity/claims.js';
import { EntryRing } from '../../server/http/journalRing.js';
import { DEFLATE_ABOVE_BYTES, DEFLATE_FROM, TEXT_LIMIT } from '../../server/http/journalTexts.js';
import type { StoredEntry } from '../../server/http/requestJournal.js';
import { CJK, noise } from '../support/noise.js';
import { unsignedJwt } from '../support/tokens.js';

const identity = identityOf(unsignedJwt({ tid: 'contoso' }));

function entry(id: number, overrides: Partial<StoredEntry> = {}): StoredEntry {
  return {
    id,
    batchId: null,
    bytes: 0,
    startedAt: 1000 + id,
    identity,
    method: 'GET',
    path: `/beta/items/${id}`,
    query: '',
    requestHeaders: 'host\nlocalhost',
    requestBody: undefined,
    requestBodyTruncated: false,
    status: 200,
    responseHeaders: 'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\r\n',
    responseBody: `{"id":${id}}`,
    responseBodyTruncated: false,
    durationUs: 250,
    fault: null,
    batchItemId: null,
    ...overrides,
  };
}

const held = (ring: EntryRing) => Array.from({ length: ring.count }, (_, i) => ring.at(i));
const withoutBytes = ({ bytes: _bytes, ...rest }: StoredEntry) => rest;

describe('EntryRing', () => {
  it('reads every field back as written, texts in any script, absent bodies and ids kept apart from empty ones', () => {
    const ring = new EntryRing(4, 1024 * 1024);
    const fault = { source: 'rules[0] (slow)', effect: 'latency 300ms' };
    const written = [
      entry(1, { requestBody: '', responseBody: undefined, status: null, batchItemId: '' }),
      entry(2, {
        method: 'POST',
        path: '/beta/caf\u00e9/\u{1f600}',
        query: '%24filter=x',
        requestBody: '{"displayName":"\u00e9t\u00e9 \u{1f30d} \u4e2d"}',
        requestBodyTruncated: true,
        responseBodyTruncated: true,
        batchId: 7,
        batchItemId: 'a',
        fault,
        status: 201,
        durationUs: 1234,
      }),
    ];
    for (const one of written) ring.push(one);
    expect(held(ring).map(withoutBytes)).toEqual(written.map(withoutBytes));
    // The summary a query selects by: the same fields, read without the bodies.
    expect([ring.summaryAt(0), ring.summaryAt(1)]).toEqual(written.map(({ id, method, path, status, identity }) => ({ id, method, path, status, identity })));
    expect(held(ring)[1]!.fault).toBe(fault);
    expect(held(ring)[0]!.identity).toBe(identity);
  });

  it('keeps every text apart when texts hold lone surrogates: each is read back at its own length, its neighbours whole', () => {
    const ring = new EntryRing(2, 1024 * 1024);
    // A $batch item's id comes from JSON.parse, which lets lone surrogates through; UTF-8 holds each as U+FFFD,
    // also the two halves of a pair split across neighbouring texts.
    ring.push(entry(1, { requestBody: 'a\ud800', responseBody: '\udc00b', batchItemId: '\ud83d' }));
    ring.push(entry(2, { path: '/beta/x\ud83d', query: '\ude00y', batchItemId: 'z\udfff' }));
    const [first, second] = held(ring);
    expect([first!.requestBody, first!.responseHeaders, first!.responseBody, first!.batchItemId]).toEqual([
      'a\ufffd',
      'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\r\n',
      '\ufffdb',
      '\ufffd',
    ]);
    expect([second!.path, second!.query, second!.requestHeaders, second!.batchItemId]).toEqual(['/beta/x\ufffd', '\ufffdy', 'host\nlocalhost', 'z\ufffd']);
  });

  it('keeps a body of DEFLATE_FROM characters or more deflated, and reads it back as written', () => {
    // Deflating from the first byte on.
    const ring = new EntryRing(8, 1024 * 1024, 0);
    const page = JSON.stringify({ value: Array.from({ length: 200 }, (_, i) => ({ id: `p-${i}`, displayName: `Caf\u00e9 \u{1f600} \u4e2d ${i}` })) });
    const long = page.slice(0, DEFLATE_FROM);
    const short = page.slice(0, DEFLATE_FROM - 1);
    // Random CJK: deflated it takes more bytes than it has characters, so it is kept as it is.
    const random = noise(DEFLATE_FROM * 2, 5, CJK);
    expect(page.length).toBeGreaterThan(DEFLATE_FROM);
    ring.push(entry(1, { responseBody: long, requestBody: short }));
    ring.push(entry(2, { requestBody: long, responseBody: short }));
    ring.push(entry(3, { requestBody: random, responseBody: `${long}\ud800`, responseBodyTruncated: true }));
    const [one, two, three] = held(ring);
    expect([one!.requestBody, one!.responseBody, two!.requestBody, two!.responseBody]).toEqual([short, long, long, short]);
    // A lone surrogate reads back as UTF-8 keeps it (U+FFFD), deflated or not.
    expect(three).toMatchObject({ requestBody: random, responseBody: `${long}\ufffd`, responseBodyTruncated: true });
    // What each takes: the short body its UTF-8 size, the long one less, the random one its UTF-8 size.
    ring.push(entry(4, { requestBody: '', responseBody: '' }));
    const bare = ring.at(3).bytes;
    const utf8 = (text: string) => Buffer.byteLength(text);
    expect(one!.bytes - bare - utf8(short)).toBeLessThan(0.75 * utf8(long));
    expect(two!.bytes - bare - utf8(short)).toBeLessThan(0.75 * utf8(long));
    expect(three!.bytes - bare).toBeGreaterThanOrEqual(utf8(random));
    expect(three!.bytes - bare - utf8(random)).toBeLessThan(0.75 * utf8(long));
  });

  it('holds a thousand entries of list pages (16 KiB bodies) in a few MB', () => {
    const ring = new EntryRing(1000, 64 * 1024 * 1024);
    const page = JSON.stringify({
      value: Array.from({ length: 100 }, (_, i) => ({
        id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        displayName: `Sales ${i}`,
        isHidden: false,
      })),
    }).slice(0, 16 * 1024);
    const used: number[] = [];
    for (let id = 1; id <= 3000; id += 1) {
      ring.push(entry(id, { responseBody: page }));
      used.push(ring.usedBytes);
    }
    expect(ring.at(999).responseBody).toBe(page);
    expect(ring.at(0).responseBody).toBe(page);
    // As text they would take 16.5 MB: the bodies are kept as text until the entries take DEFLATE_ABOVE_BYTES,
    // deflated after that, so the entries never take more than that, one more page, and the deflated ones.
    const deflated = ring.at(999).bytes;
    expect(deflated).toBeLessThan(4 * 1024);
    expect(Math.max(...used)).toBeLessThan(DEFLATE_ABOVE_BYTES + 17 * 1024 + 1000 * deflated);
    expect(used[100]).toBeGreaterThan(100 * page.length);
    expect(ring.usedBytes).toBeGreaterThan(DEFLATE_ABOVE_BYTES / 2);
    expect(ring.capacityBytes).toBeLessThan(10 * 1024 * 1024);
  });

  it('keeps long bodies as text while the entries take less than DEFLATE_ABOVE_BYTES (or half the budget), deflated after', () => {
    const page = JSON.stringify({ value: Array.from({ length: 400 }, (_, i) => ({ id: i, displayName: `Sales ${i}` })) }).slice(0, 8 * 1024);
    const utf8 = Buffer.byteLength(page);
    // A budget of 1 MiB: deflating from 512 KiB of live entries.
    const ring = new EntryRing(1000, 1024 * 1024);
    expect(ring.deflateAbove).toBe(512 * 1024);
    expect(new EntryRing(10, 64 * 1024 * 1024).deflateAbove).toBe(DEFLATE_ABOVE_BYTES);
    const sizes: number[] = [];
    for (let id = 1; id <= 100; id += 1) {
      ring.push(entry(id, { responseBody: page }));
      sizes.push(ring.at(ring.count - 1).bytes);
    }
    // The first 64 entries (each over 8 KiB as text) fill 512 KiB; from then on the page takes a fraction of itself.
    const asText = sizes.findLastIndex((bytes) => bytes > utf8);
    expect(asText).toBeGreaterThanOrEqual(60);
    expect(asText).toBeLessThan(64);
    expect(sizes.slice(asText + 1).every((bytes) => bytes < utf8 / 2)).toBe(true);
    expect(held(ring).every((e) => e.responseBody === page)).toBe(true);
  });

  it('starts small and grows only while the count allows more entries than its bytes hold', () => {
    const ring = new EntryRing(1000, 64 * 1024 * 1024);
    const start = ring.capacityBytes;
    const body = 'x'.repeat(2000);
    for (let id = 1; id <= 20_000; id += 1) ring.push(entry(id, { responseBody: body }));
    expect(ring.count).toBe(1000);
    expect(ring.at(0).id).toBe(19_001);
    // 1,000 entries of about 2.1 KB take 2.1 MB: the ring holds them with room to wrap, and stops growing there.
    expect(start).toBe(256 * 1024);
    expect(ring.capacityBytes).toBeGreaterThan(2.1 * 1000 * 1000);
    expect(ring.capacityBytes).toBeLessThanOrEqual(1.25 * 1.5 * 2.2 * 1000 * 1000);
    expect(ring.usedBytes).toBeLessThanOrEqual(ring.capacityBytes);
  });

  it('counts the bytes its live entries take, as entries come and go', () => {
    const ring = new EntryRing(3, 1024 * 1024);
    const sizes: number[] = [];
    for (let id = 1; id <= 5; id += 1) {
      ring.push(entry(id, { responseBody: 'y'.repeat(id * 100) }));
      sizes.push(ring.at(ring.count - 1).bytes);
      // The newest three: the slots allow no more.
      expect(ring.usedBytes).toBe(sizes.slice(-3).reduce((sum, bytes) => sum + bytes, 0));
    }
    ring.dropOldest();
    expect(ring.usedBytes).toBe(sizes[3]! + sizes[4]!);
    ring.clear();
    expect(ring.usedBytes).toBe(0);
  });

  it('grows by half, or to a quarter more than its entries and the new one need, whichever is more', () => {
    // Random CJK: 3 bytes a character, kept as it is (not deflated), so an entry takes what it reserves.
    const body = noise(16 * 1024, 9, CJK);
    const ring = new EntryRing(1000, 64 * 1024 * 1024);
    const start = ring.capacityBytes;
    let id = 0;
    while (ring.capacityBytes === start) ring.push(entry(++id, { responseBody: body }));
    // Five entries of about 49 KB fit in 256 KiB; the sixth made it grow by half.
    expect(id).toBe(6);
    expect(ring.capacityBytes).toBe(Math.ceil(start * 1.5));

    // Three such entries, then one that reserves about 295 KB: a quarter more than all of them is more than half again.
    const big = new EntryRing(1000, 64 * 1024 * 1024);
    for (let i = 1; i <= 3; i += 1) big.push(entry(i, { responseBody: body }));
    const used = big.usedBytes;
    const huge = entry(4, { path: body, query: body, requestHeaders: body, requestBody: body, responseBody: body, batchItemId: body });
    big.push(huge);
    const need = 7 * 4 + 3 * (6 * body.length + (huge.responseHeaders as string).length);
    expect(big.capacityBytes).toBe(Math.ceil((used + need) * 1.25));
    expect(big.capacityBytes).toBeGreaterThan(Math.ceil(start * 1.5));
    expect(big.at(3).requestBody).toBe(body);
  });

  it('starts again from its first byte once cleared, also at its budget with its last entry near the end', () => {
    const ring = new EntryRing(100, 64 * 1024);
    // Each entry takes about 16 KB and reserves about 48 KB (3 bytes a character): the fourth ends at about
    // 32 KB, and after a clear only the ring's start has room for the next.
    const body = 'z'.repeat(16_000);
    for (let id = 1; id <= 4; id += 1) ring.push(entry(id, { responseBody: body }));
    expect(ring.capacityBytes).toBe(64 * 1024);
    ring.clear();
    ring.push(entry(5, { responseBody: body }));
    expect(held(ring).map(withoutBytes)).toEqual([withoutBytes(entry(5, { responseBody: body }))]);
    expect(ring.usedBytes).toBe(ring.at(0).bytes);
  });

  it('drops the oldest entry before writing when the wrapped entries end exactly where it starts', () => {
    // Every text three bytes a character, so that each entry takes exactly what it reserves: three fill the ring,
    // the fourth takes the first one's place exactly, and then ends where the oldest live entry begins.
    const texts = (id: number) => ({
      path: CJK.slice(id, id + 10),
      requestHeaders: '',
      responseHeaders: '',
      responseBody: CJK.slice(100 * id, 100 * id + 1000),
    });
    const size = 7 * 4 + 3 * 1010;
    const ring = new EntryRing(100, 3 * size);
    for (let id = 1; id <= 4; id += 1) ring.push(entry(id, texts(id)));
    expect(held(ring).map((e) => e.id)).toEqual([2, 3, 4]);
    ring.push(entry(5, texts(5)));
    expect(ring.capacityBytes).toBe(3 * size);
    expect(held(ring).map(withoutBytes)).toEqual([3, 4, 5].map((id) => withoutBytes(entry(id, texts(id)))));
    expect(held(ring).map((e) => e.bytes)).toEqual([size, size, size]);
  });

  it('grows with its live entries packed from its first byte, so an entry that fills the grown ring keeps the one before', () => {
    // Three bytes a character and every other text empty: each entry takes exactly what it reserves.
    const small = (id: number) => entry(id, { path: CJK.slice(id, id + 10), requestHeaders: '', responseHeaders: '', responseBody: CJK.slice(0, 1000) });
    const text = (seed: number) => noise(16_000, seed, CJK);
    const large = entry(3, { path: text(1), query: text(2), requestHeaders: text(3), requestBody: text(4), responseHeaders: text(5), responseBody: text(6) });
    const smallBytes = 7 * 4 + 3 * 1010;
    const largeBytes = 7 * 4 + 3 * 6 * 16_000;
    // Two slots: the third entry drops the first, whose slot it takes, and makes the 256 KiB ring grow to its
    // budget, exactly the second entry and itself; the slot the first one left holds no bytes of the ring.
    const ring = new EntryRing(2, smallBytes + largeBytes);
    ring.push(small(1));
    ring.push(small(2));
    ring.push(large);
    expect(ring.capacityBytes).toBe(smallBytes + largeBytes);
    expect(held(ring).map(withoutBytes)).toEqual([withoutBytes(small(2)), withoutBytes(large)]);
    expect(held(ring).map((e) => e.bytes)).toEqual([smallBytes, largeBytes]);
  });

  it('refuses an entry larger than its whole budget, with the sizes in the message', () => {
    const ring = new EntryRing(4, 1024);
    expect(() => ring.push(entry(1, { path: 'p'.repeat(2000) }))).toThrow(/A journal entry of up to \d+ bytes exceeds the journal's 1024 bytes\./);
    // An entry that fits in the budget is taken.
    ring.push(entry(2));
    expect(ring.at(0).id).toBe(2);
    // One that reserves the whole budget, to the byte (three bytes a character, as in the test above), too.
    const whole = entry(3, { path: CJK.slice(0, 10), requestHeaders: '', responseHeaders: '', responseBody: CJK.slice(0, 1000) });
    const exact = new EntryRing(4, 7 * 4 + 3 * 1010);
    exact.push(whole);
    expect(held(exact).map(withoutBytes)).toEqual([withoutBytes(whole)]);
    expect(() => new EntryRing(4, 7 * 4 + 3 * 1010 - 1).push(whole)).toThrow("A journal entry of up to 3058 bytes exceeds the journal's 3057 bytes.");
  });

  it('keeps to its byte budget by dropping the oldest, and refuses no entry a journal makes', () => {
    const ring = new EntryRing(100_000, 1024 * 1024);
    const big = '\u4e2d'.repeat(16 * 1024);
    for (let id = 1; id <= 500; id += 1) ring.push(entry(id, { requestBody: big, responseBody: big, path: 'p'.repeat(16 * 1024) }));
    expect(ring.capacityBytes).toBe(1024 * 1024);
    expect(ring.count).toBeGreaterThan(1);
    expect(ring.at(ring.count - 1)).toMatchObject({ id: 500, requestBody: big });
    expect(ring.at(0).id).toBe(500 - ring.count + 1);
  });

  it('cuts any other text at TEXT_LIMIT, so that a $batch item with a huge id or URL still fits the smallest ring', () => {
    const ring = new EntryRing(4, 1024 * 1024);
    const huge = '\u4e2d'.repeat(1024 * 1024);
    ring.push(entry(1, { batchItemId: huge, path: huge, query: huge, requestHeaders: huge, responseHeaders: huge }));
    const [held] = [ring.at(0)];
    expect([held.batchItemId, held.path, held.query, held.requestHeaders, held.responseHeaders].map((text) => text!.length)).toEqual(Array(5).fill(TEXT_LIMIT));
    expect(held.path).toBe(huge.slice(0, TEXT_LIMIT));
    expect(ring.capacityBytes).toBeLessThanOrEqual(1024 * 1024);
  });

  it('never writes over a live entry when it wraps around at its budget', () => {
    const ring = new EntryRing(60, 1024 * 1024);
    let seed = 7;
    const bodies: string[] = [];
    // Three bytes a character, and nothing deflate can shrink: each body takes its full size in the ring.
    const text = noise(16 * 1024, 3, CJK);
    for (let id = 1; id <= 300; id += 1) {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      bodies[id] = text.slice(0, seed % (16 * 1024));
      ring.push(entry(id, { responseBody: bodies[id]! }));
      // A write over live bytes lands on the oldest entries, where the ring wraps.
      for (let i = 0; i < Math.min(3, ring.count); i += 1) {
        const held = ring.at(i);
        // Any byte written over it breaks its length or a character.
        expect(held.responseBody).toBe(bodies[held.id]);
        expect(held.path).toBe(`/beta/items/${held.id}`);
      }
      expect(ring.at(ring.count - 1).id).toBe(id);
    }
    expect(ring.capacityBytes).toBe(1024 * 1024);
  });

  it('holds exactly the newest entries after any sequence of sizes, clears and drops (property)', () => {
    const op = fc.oneof(
      {
        arbitrary: fc.record({ kind: fc.constant('push' as const), size: fc.nat({ max: 40_000 }), char: fc.constantFrom('a', '\u00e9', '\u4e2d') }),
        weight: 20,
      },
      { arbitrary: fc.constant({ kind: 'drop' as const }), weight: 1 },
      { arbitrary: fc.constant({ kind: 'clear' as const }), weight: 1 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.array(op, { maxLength: 300 }), (slots, ops) => {
        const budget = 1024 * 1024;
        const ring = new EntryRing(slots, budget);
        let model: StoredEntry[] = [];
        let id = 0;
        for (const step of ops) {
          if (step.kind === 'clear') {
            ring.clear();
            model = [];
          } else if (step.kind === 'drop') {
            if (ring.count > 0) ring.dropOldest();
            model = model.slice(1);
          } else {
            id += 1;
            const written = entry(id, { responseBody: step.char.repeat(step.size % (16 * 1024)) });
            ring.push(written);
            model.push(written);
          }
          // The ring holds a suffix of what was written: the newest entries, nothing lost in the middle, and
          // as many as its slots allow while they take under half the budget (UTF-8: at most 3 bytes a character here).
          const kept = held(ring);
          const allowed = Math.min(slots, model.length);
          expect(kept.map(withoutBytes)).toEqual(model.slice(model.length - kept.length).map(withoutBytes));
          const newestBytes = model.slice(model.length - allowed).reduce((sum, e) => sum + 3 * e.responseBody!.length + 200, 0);
          if (newestBytes <= budget / 2) expect(kept.length).toBe(allowed);
          else expect(kept.length).toBeLessThanOrEqual(allowed);
          model = model.slice(model.length - kept.length);
          expect(ring.capacityBytes).toBeLessThanOrEqual(budget);
        }
      }),
      { numRuns: 60 },
    );
  });
});
