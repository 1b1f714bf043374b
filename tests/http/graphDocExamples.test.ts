// Every documented example of the entitlement-management pages the emulator serves, beta and v1.0, replayed
// against a tenant holding the ids the pages name (tests/data/docExamples.json): the status is the page's, and the
// response has every property the page's response shows, less those listed as absent with their reason, and the
// complex values listed as exact with the page's members alone; every answer carries Graph's headers, an error its
// envelope.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import type { Dataset } from '../../server/store/records.js';
import { type DocTenant, buildDocTenant } from '../support/docTenant.js';
import { AUTH, ODATA_JSON, expectGraphError, expectGraphHeaders } from '../support/graph.js';

interface Call {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: string;
  body?: unknown;
}
interface Example extends Call {
  page: string;
  name: string;
  status: number;
  placeholders?: [string, string][];
  before?: Call[];
  properties?: string[];
  absent?: { paths: string[]; reason: string };
  exact?: string[];
  deviation?: string;
  note?: string;
}

const data = JSON.parse(readFileSync(new URL('../data/docExamples.json', import.meta.url), 'utf8')) as { tenant: DocTenant; examples: Example[] };

/** The page's placeholders replaced by the tenant's ids, each in the URL if it is there, else in the body. */
function resolved(example: Example): Call {
  let url = example.url;
  let body = example.body === undefined ? undefined : JSON.stringify(example.body);
  for (const [placeholder, value] of example.placeholders ?? []) {
    if (url.includes(placeholder)) url = url.replace(placeholder, value);
    else if (body?.includes(placeholder)) body = body.replace(placeholder, value);
    else throw new Error(`${example.name}: ${placeholder} is in neither the URL nor the body`);
  }
  return { method: example.method, url, body: body === undefined ? undefined : JSON.parse(body) };
}

function send(app: ReturnType<typeof createApp>, call: Call): request.Test {
  const req = request(app)[call.method.toLowerCase() as 'get'](call.url).set(AUTH);
  return call.body === undefined ? req : req.send(call.body as object);
}

/** `a`, `a.b` and `a[].b` for every property, annotations left out: the same form as the data file's. */
function propertyPaths(value: unknown, prefix = '', into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) propertyPaths(item, `${prefix}[]`, into);
  else if (value !== null && typeof value === 'object')
    for (const [key, item] of Object.entries(value)) {
      if (key.startsWith('@odata.')) continue;
      const path = prefix ? `${prefix}.${key}` : key;
      into.add(path);
      propertyPaths(item, path, into);
    }
  return into;
}

let tenant: Dataset;
beforeAll(async () => {
  tenant = await buildDocTenant(data.tenant);
});

describe.each([['beta'], ['v1.0']])('documented examples, %s', (version) => {
  const examples = data.examples.filter((e) => e.page.startsWith(`api-reference/${version}/`));
  it.each(examples.map((e) => [`${e.page.split('/').pop()} ${e.name}`, e] as const))('%s', async (_title, example) => {
    const app = createApp({ store: new MemoryStore(structuredClone(tenant)) });
    for (const call of example.before ?? []) expect([call.url, (await send(app, call)).status]).toEqual([call.url, 204]);
    const res = await send(app, resolved(example));
    if (res.status !== example.status) throw new Error(`${example.name}: ${res.status} ${res.text}`);
    if (example.deviation) {
      // Graph's envelope and headers, whatever its code.
      expectGraphError(res, example.status, res.body.error?.code);
      return;
    }
    expectGraphHeaders(res);
    if (example.status === 204 || (example.status === 200 && example.method === 'POST' && !example.properties)) {
      expect([res.text, res.headers['content-type']]).toEqual(['', undefined]);
      return;
    }
    expect([res.headers['content-type'], res.headers['odata-version']]).toEqual([ODATA_JSON, '4.0']);
    expect(res.body['@odata.context']).toMatch(new RegExp(`^https://graph\\.microsoft\\.com/${version.replace('.', '\\.')}/\\$metadata#`));
    const shown = propertyPaths(res.body);
    const absent = example.absent?.paths ?? [];
    const isAbsent = (path: string) => absent.some((a) => path === a || path.startsWith(`${a}.`) || path.startsWith(`${a}[`));
    expect((example.properties ?? []).filter((p) => !isAbsent(p) && !shown.has(p))).toEqual([]);
    expect([...shown].filter(isAbsent)).toEqual([]);
    // A complex value the page's response shows has the members the page shows, and no declared member more.
    const under = (name: string, paths: Iterable<string>) => [...paths].filter((p) => p.startsWith(`${name}.`) || p.startsWith(`${name}[`)).sort();
    for (const name of example.exact ?? []) expect([name, under(name, shown)]).toEqual([name, under(name, example.properties ?? [])]);
  });
});
