// The model-based test's lists (tests/http/graphModel.test.ts): every nextLink followed, every match once and in
// order, and walks with a write or a restart between their first page and the rest.
import { expect } from '@jest/globals';
import { EM, expectGraphError } from './graph.js';
import { CONTEXT, type Command, type Emulator, type Model, type Rec, UNKNOWN_ID, allPages, expectRecord, expectSuccess, tokenOf, touch } from './graphModel.js';
import { type Op, type Resolved, deleteOne, patchOne, pick } from './graphModelOps.js';

export type Filter = { kind: 'hidden' } | { kind: 'catalog'; n: number } | { kind: 'prefix' | 'contains'; text: string };

/** A list of packages, every nextLink followed: every match exactly once, in the order asked, in pages of $top. */
export class ListPackages implements Command {
  constructor(
    private readonly top: number,
    private readonly order: 'asc' | 'desc' | null,
    private readonly filter: Filter | null,
    private readonly count: boolean,
    private readonly select: boolean,
    private readonly skip: number,
    /** The page size asked by `Prefer: odata.maxpagesize` on the first request rather than by $top. */
    private readonly prefer: boolean,
  ) {}
  check = () => true;
  async run(m: Model, real: Emulator): Promise<void> {
    const t = touch(m);
    const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;
    const f = this.filter;
    const catalogId = f?.kind === 'catalog' ? pick([...t.catalogs.keys()], f.n) : '';
    const [filterText, keep] = ((): [string, (p: Rec) => boolean] => {
      if (f === null) return ['', () => true];
      if (f.kind === 'hidden') return ['isHidden eq true', (p) => p['isHidden'] === true];
      if (f.kind === 'catalog') return [`catalogId eq ${literal(catalogId)}`, (p) => p['catalogId'] === catalogId];
      const name = (p: Rec) => (typeof p['displayName'] === 'string' ? (p['displayName'] as string) : null);
      if (f.kind === 'prefix') return [`startswith(displayName,${literal(f.text)})`, (p) => name(p)?.startsWith(f.text) === true];
      return [`contains(tolower(displayName),${literal(f.text)})`, (p) => name(p)?.toLowerCase().includes(f.text) === true];
    })();
    const expected = [...t.packages.values()].filter(keep);
    if (this.order !== null) {
      const sign = this.order === 'asc' ? 1 : -1;
      const key = (p: Rec) => (p['displayName'] ?? null) as string | null;
      const cmp = (a: string | null, b: string | null) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1);
      expected.sort((a, b) => sign * cmp(key(a), key(b)) || cmp(a['id'] as string, b['id'] as string));
    }
    const matches = expected.length;
    expected.splice(0, this.skip);
    const options = [
      ...(this.prefer ? [] : [`$top=${this.top}`]),
      ...(this.skip === 0 ? [] : [`$skip=${this.skip}`]),
      ...(filterText === '' ? [] : [`$filter=${encodeURIComponent(filterText)}`]),
      ...(this.order === null ? [] : [`$orderby=displayName%20${this.order}`]),
      ...(this.count ? ['$count=true'] : []),
      ...(this.select ? ['$select=id,displayName'] : []),
    ];
    // A catalog's packages are listed through the catalog too, with the same paging.
    const under = f?.kind === 'catalog' && this.select && catalogId !== UNKNOWN_ID;
    const set = under ? `accessPackageCatalogs('${catalogId}')/accessPackages` : 'accessPackages';
    const path = under ? `${EM}/accessPackageCatalogs/${catalogId}/accessPackages` : `${EM}/accessPackages`;
    const query = options.filter((o) => !(under && o.startsWith('$filter'))).join('&');
    const prefer: Record<string, string> = this.prefer ? { Prefer: `odata.maxpagesize=${this.top}` } : {};
    const pages = await allPages(real, m.current, `${path}${query === '' ? '' : '?'}${query}`, prefer);
    if (this.prefer) expect(pages[0]!.headers['preference-applied']).toBe(`odata.maxpagesize=${this.top}`);
    const sizes = pages.map((p) => (p.body.value as Rec[]).length);
    const wanted =
      expected.length === 0 ? [0] : Array.from({ length: Math.ceil(expected.length / this.top) }, (_, i) => Math.min(this.top, expected.length - i * this.top));
    expect(sizes).toEqual(wanted);
    const read = pages.flatMap((p) => p.body.value as Rec[]);
    expect(read.map((p) => p['id'])).toEqual(expected.map((p) => p['id']));
    pages.forEach((p, i) => {
      expect(p.body['@odata.context']).toBe(`${CONTEXT}/${set}${this.select ? '(id,displayName)' : ''}`);
      expect(p.body['@odata.count']).toBe(this.count && i === 0 ? matches : undefined);
    });
    for (const p of read) {
      if (this.select) expect(p).toEqual({ id: p['id'], displayName: t.packages.get(p['id'] as string)!['displayName'] });
      else expectRecord(t, t.packages, p);
    }
  }
  toString = () =>
    `list(${this.prefer ? 'maxpagesize' : 'top'}=${this.top}, skip=${this.skip}, order=${this.order}, filter=${JSON.stringify(this.filter)}, count=${this.count}, select=${this.select})`;
}

/** One resolved request of the current tenant, sent on its own and checked. */
async function send(real: Emulator, m: Model, r: Resolved): Promise<void> {
  const call = real
    .api()
    [r.method.toLowerCase() as 'get'](`/${r.version ?? 'beta'}${r.url}`)
    .set(tokenOf(m.current));
  r.check(touch(m), r.body === undefined ? await call : await call.send(r.body), { origin: real.origin, tid: m.current, batch: false });
}

const byName = (sign: number) => (a: Rec, b: Rec) => {
  const cmp = (x: unknown, y: unknown) =>
    x === y ? 0 : x === null || x === undefined ? -1 : y === null || y === undefined ? 1 : (x as string) < (y as string) ? -1 : 1;
  return sign * cmp(a['displayName'], b['displayName']) || cmp(a['id'], b['id']);
};

/**
 * A walk through the packages with a write (and maybe a restart) between its first page and the rest: the rest
 * holds exactly the records after the first page's last one, as they are now (new ones where they sort), once each.
 * After a restart, a default-order walk whose last record was deleted is refused as expired; so is a walk by a
 * displayName too long for the token (kept as a digest) once that record is deleted or renamed.
 */
export class Walk implements Command {
  private label = 'walk';
  constructor(
    private readonly top: number,
    private readonly order: 'asc' | 'desc' | null,
    private readonly op: Op,
    private readonly restart: boolean,
    /** Whether the write is the first page's last record's delete, or a new displayName for it, instead of the op. */
    private readonly toLast: { rename: string | null } | null,
    /** A reset or a baseline's restore between the pages, instead of the op. */
    private readonly admin: Command | null = null,
  ) {}
  check = () => true;
  async run(m: Model, real: Emulator): Promise<void> {
    const t = touch(m);
    if (this.order !== null && this.toLast !== null) {
      // A package renamed first to a name too long for the token, sorting before every other: the first page's last record.
      const first = patchOne('packages', this.top, { displayName: this.order === 'asc' ? `${' '.repeat(130)}x` : '~'.repeat(140) })(t);
      await send(real, m, first);
    }
    const before = [...t.packages.keys()];
    const sorted = (records: Rec[]) => (this.order === null ? records : [...records].sort(byName(this.order === 'asc' ? 1 : -1)));
    const query = `$top=${this.top}${this.order === null ? '' : `&$orderby=displayName%20${this.order}`}`;
    const first = await real.api().get(`${EM}/accessPackages?${query}`).set(tokenOf(m.current));
    expectSuccess(first, 200);
    const page = first.body.value as Rec[];
    expect(page.map((p) => p['id'])).toEqual(
      sorted([...t.packages.values()])
        .slice(0, this.top)
        .map((p) => p['id']),
    );
    for (const p of page) expectRecord(t, t.packages, p);
    const link = first.body['@odata.nextLink'] as string | undefined;
    const last = page.at(-1);
    const lastIndex = before.indexOf(String(last?.['id']));
    const r =
      this.toLast === null || last === undefined
        ? this.op(t)
        : this.toLast.rename === null
          ? deleteOne('packages', lastIndex)(t)
          : patchOne('packages', lastIndex, { displayName: this.toLast.rename })(t);
    const between = this.admin !== null && this.toLast === null ? this.admin : null;
    this.label = `walk(${query}, ${between ?? r.label}${this.restart ? ', restart' : ''})`;
    if (link === undefined || last === undefined) return expect(t.packages.size).toBeLessThanOrEqual(this.top);
    await (between === null ? send(real, m, r) : between.run(m, real));
    if (this.restart) await real.restart();
    // A reset or a restore replaced the tenant: its records are new, numbered after every record the walk read.
    const current = touch(m);
    const replaced = current !== t;
    const next = link.slice(link.indexOf('/beta/'));
    // A sort value too long for the token is read back from the last record: gone or changed, the token has expired.
    const now = current.packages.get(last['id'] as string);
    const long = typeof last['displayName'] === 'string' && Buffer.byteLength(JSON.stringify(last['displayName'])) > 128;
    const lost = this.order === null ? this.restart && now === undefined : long && now?.['displayName'] !== last['displayName'];
    if (lost) {
      const expired = await real.api().get(next).set(tokenOf(m.current));
      return expectGraphError(expired, 400, 'BadRequest', 'The specified page token value has expired and can no longer be included in your request.');
    }
    // The default order resumes after the last record where it is now; gone, after the number it had, which every
    // record a reset or a restore brought in comes after (docs/querying.md).
    const records = [...current.packages.values()];
    const at = records.findIndex((p) => p['id'] === last['id']);
    const after =
      this.order === null
        ? at >= 0 || replaced
          ? records.slice(at + 1)
          : records.filter((p) => !before.includes(p['id'] as string) || before.indexOf(p['id'] as string) > before.indexOf(last['id'] as string))
        : sorted(records).filter((p) => byName(this.order === 'asc' ? 1 : -1)(p, last) > 0);
    const pages = await allPages(real, m.current, next);
    const sizes = pages.map((p) => (p.body.value as Rec[]).length);
    expect(sizes.slice(0, -1).every((size) => size === this.top) && sizes.at(-1)! <= this.top).toBe(true);
    const read = pages.flatMap((p) => p.body.value as Rec[]);
    expect(read.map((p) => p['id'])).toEqual(after.map((p) => p['id']));
    for (const p of read) expectRecord(current, current.packages, p);
  }
  toString = () => this.label;
}

/** The tenant's catalogs, every nextLink followed. */
export class ListCatalogs implements Command {
  constructor(private readonly top: number) {}
  check = () => true;
  async run(m: Model, real: Emulator): Promise<void> {
    const t = touch(m);
    const pages = await allPages(real, m.current, `${EM}/accessPackageCatalogs?$top=${this.top}`);
    const read = pages.flatMap((p) => p.body.value as Rec[]);
    expect(read.map((c) => c['id'])).toEqual([...t.catalogs.keys()]);
    for (const c of read) expectRecord(t, t.catalogs, c);
  }
  toString = () => `catalogs(top=${this.top})`;
}
