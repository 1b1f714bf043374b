// Incompatible packages and groups: $ref round trips (POST …/$ref 204, listed, DELETE …/{id}/$ref 204), the
// read-only reverse accessPackagesIncompatibleWith, and the answers to references that cannot be made.
import { describe, expect, it } from '@jest/globals';
import type { Express } from 'express';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { MAX_URL_CHARS } from '../../server/resources/keys.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { addGroup, createCatalog, createPackage } from '../support/catalogResources.js';
import { AUTH, CATALOGS, PACKAGES, V1, expectGraphError } from '../support/graph.js';

const GRAPH_PACKAGES = 'https://graph.microsoft.com/beta/identityGovernance/entitlementManagement/accessPackages';
const GROUP = 'c0a74b4d-2694-4d5d-a964-1bee4ff0aaf2';

async function setup() {
  const store = new MemoryStore();
  const app = createApp({ store });
  const catalogId = await createCatalog(app, 'Sales');
  const [a, b, c] = [await createPackage(app, 'A', catalogId), await createPackage(app, 'B', catalogId), await createPackage(app, 'C', catalogId)];
  return { store, app, catalogId, a, b, c };
}

async function addIncompatibleGroup(app: Express, accessPackage: string, group: string): Promise<void> {
  const res = await request(app)
    .post(`${PACKAGES}/${accessPackage}/incompatibleGroups/$ref`)
    .set(AUTH)
    .send({ '@odata.id': `https://graph.microsoft.com/beta/groups/${group}` });
  expect(res.status).toBe(204);
}

/** The group ids of every page of a package's incompatibleGroups in `orderby`, one group a page, nextLinks followed. */
async function groupPages(app: Express, accessPackage: string, orderby: string): Promise<string[]> {
  const seen: string[] = [];
  let url: string | undefined = `${PACKAGES}/${accessPackage}/incompatibleGroups?$orderby=${encodeURIComponent(orderby)}&$top=1`;
  for (let page = 0; url !== undefined && page < 10; page++) {
    const res: request.Response = await request(app).get(url).set(AUTH);
    expect(res.status).toBe(200);
    expect(res.body['@odata.context']).toBe(
      `https://graph.microsoft.com/beta/$metadata#identityGovernance/entitlementManagement/accessPackages('${accessPackage}')/incompatibleGroups`,
    );
    seen.push(...res.body.value.map((g: { id: string }) => g.id));
    const next: string | undefined = res.body['@odata.nextLink'];
    url = next === undefined ? undefined : new URL(next).pathname + new URL(next).search;
  }
  return seen;
}

/** Links `ids` to package `a` as incompatible packages, and the group GROUP through `root` (a version's path). */
async function linkAll(app: Awaited<ReturnType<typeof setup>>['app'], a: string, ids: string[], root: '/beta' | '/v1.0') {
  for (const id of ids) {
    await request(app)
      .post(`${PACKAGES}/${a}/incompatibleAccessPackages/$ref`)
      .set(AUTH)
      .send({ '@odata.id': `${GRAPH_PACKAGES}/${id}` })
      .expect(204);
  }
  await request(app)
    .post(`${root}/identityGovernance/entitlementManagement/accessPackages/${a}/incompatibleGroups/$ref`)
    .set(AUTH)
    .send({ '@odata.id': `https://graph.microsoft.com${root}/groups/${GROUP}` })
    .expect(204);
}

describe('incompatibleAccessPackages', () => {
  it('round-trips a $ref: 204, listed on the package, read back from the other side, removed with 204', async () => {
    const { app, a, b } = await setup();
    const add = await request(app)
      .post(`${PACKAGES}/${a}/incompatibleAccessPackages/$ref`)
      .set(AUTH)
      .send({ '@odata.id': `${GRAPH_PACKAGES}/${b}` });
    expect(add.status).toBe(204);
    expect(add.text).toBe('');
    const listed = await request(app).get(`${PACKAGES}/${a}/incompatibleAccessPackages?$select=id,catalogId,displayName`).set(AUTH);
    expect(listed.body).toEqual({
      '@odata.context': `https://graph.microsoft.com/beta/$metadata#identityGovernance/entitlementManagement/accessPackages('${a}')/incompatibleAccessPackages(id,catalogId,displayName)`,
      value: [{ id: b, catalogId: expect.any(String), displayName: 'B' }],
    });
    const reverse = await request(app).get(`${PACKAGES}/${b}/accessPackagesIncompatibleWith`).set(AUTH);
    expect(reverse.body.value.map((p: { id: string }) => p.id)).toEqual([a]);
    expect((await request(app).get(`${PACKAGES}/${a}/accessPackagesIncompatibleWith`).set(AUTH)).body.value).toEqual([]);
    expect(
      (await request(app).get(`${PACKAGES}/${a}?$expand=incompatibleAccessPackages($select=displayName)`).set(AUTH)).body.incompatibleAccessPackages,
    ).toEqual([{ id: b, displayName: 'B' }]);
    expect((await request(app).delete(`${PACKAGES}/${a}/incompatibleAccessPackages/${b}/$ref`).set(AUTH)).status).toBe(204);
    expect((await request(app).get(`${PACKAGES}/${a}/incompatibleAccessPackages`).set(AUTH)).body.value).toEqual([]);
    expectGraphError(await request(app).delete(`${PACKAGES}/${a}/incompatibleAccessPackages/${b}/$ref`).set(AUTH), 404, 'ResourceNotFound');
  });

  it('refuses what cannot be referenced: an unknown package, itself, the same one twice, no @odata.id', async () => {
    const { app, a, b } = await setup();
    const ref = (id: string) => ({ '@odata.id': `${GRAPH_PACKAGES}/${id}` });
    const url = `${PACKAGES}/${a}/incompatibleAccessPackages/$ref`;
    expectGraphError(await request(app).post(url).set(AUTH).send(ref('99999999-0000-4000-8000-000000000000')), 404, 'ResourceNotFound');
    expectGraphError(await request(app).post(url).set(AUTH).send(ref(a)), 400, 'BadRequest', 'An access package cannot be incompatible with itself.');
    await request(app).post(url).set(AUTH).send(ref(b));
    expectGraphError(await request(app).post(url).set(AUTH).send(ref(b)), 400, 'BadRequest', /already exist/);
    expectGraphError(await request(app).post(url).set(AUTH).send({}), 400, 'BadRequest', /'@odata.id'/);
  });

  it("refuses a link that carries more than '@odata.id', in the words of Graph's OData reader, and links nothing", async () => {
    const { app, a, b, c } = await setup();
    const url = `${PACKAGES}/${a}/incompatibleAccessPackages/$ref`;
    const link = { '@odata.id': `${GRAPH_PACKAGES}/${b}` };
    const property = (name: string) =>
      `An instance annotation with name '${name}' or a property annotation for the property with name '${name}' was found when reading an entity reference link. No OData property or instance annotations are allowed when reading entity reference links.`;
    expectGraphError(
      await request(app)
        .post(url)
        .set(AUTH)
        .send({ ...link, foo: 'bar' }),
      400,
      'BadRequest',
      property('foo'),
    );
    expectGraphError(await request(app).post(url).set(AUTH).send({ id: b }), 400, 'BadRequest', property('id'));
    expectGraphError(
      await request(app)
        .post(url)
        .set(AUTH)
        .send({ ...link, 'foo@odata.type': '#String' }),
      400,
      'BadRequest',
      property('foo'),
    );
    expectGraphError(
      await request(app)
        .post(url)
        .set(AUTH)
        .send({ '@odata.type': '#microsoft.graph.accessPackage', ...link }),
      400,
      'BadRequest',
      "A property with name 'odata.type' was found when reading an entity reference link. No properties other than the entity reference link property with name 'odata.id' are allowed.",
    );
    const listed = await request(app).get(`${PACKAGES}/${a}/incompatibleAccessPackages`).set(AUTH);
    expect(listed.status).toBe(200);
    expect(listed.body.value).toEqual([]);
    // A context URL and a custom annotation are skipped, as the reader skips them.
    const annotated = await request(app)
      .post(url)
      .set(AUTH)
      .send({ '@odata.context': 'https://graph.microsoft.com/beta/$metadata#$ref', ...link, '@contoso.note': 'kept apart' });
    expect(annotated.status).toBe(204);
    expect(annotated.text).toBe('');
    await request(app)
      .post(`${PACKAGES}/${a}/incompatibleGroups/$ref`)
      .set(AUTH)
      .send({ '@odata.id': `https://graph.microsoft.com/beta/groups/${c}`, displayName: 'x' })
      .expect(400);
    expect((await request(app).get(`${PACKAGES}/${a}/incompatibleAccessPackages`).set(AUTH)).body.value.map((p: { id: string }) => p.id)).toEqual([b]);
  });

  it('the reverse relationship is read-only', async () => {
    const { app, a, b } = await setup();
    expectGraphError(
      await request(app)
        .post(`${PACKAGES}/${a}/accessPackagesIncompatibleWith/$ref`)
        .set(AUTH)
        .send({ '@odata.id': `${GRAPH_PACKAGES}/${b}` }),
      400,
      'BadRequest',
      "Resource not found for the segment '$ref'.",
    );
    expectGraphError(await request(app).post(`${PACKAGES}/${a}/accessPackagesIncompatibleWith`).set(AUTH).send({}), 405, 'MethodNotAllowed');
  });
});

describe('incompatibleGroups', () => {
  it('stores a group reference by @odata.id and shows the group, named after the catalog resource that is that group', async () => {
    const { app, store, catalogId, a } = await setup();
    await addGroup(store, catalogId, 'Sales team', GROUP);
    const add = await request(app)
      .post(`${PACKAGES}/${a}/incompatibleGroups/$ref`)
      .set(AUTH)
      .send({ '@odata.id': `https://graph.microsoft.com/beta/groups/${GROUP}` });
    expect(add.status).toBe(204);
    await request(app)
      .post(`${PACKAGES}/${a}/incompatibleGroups/$ref`)
      .set(AUTH)
      .send({ '@odata.id': 'https://graph.microsoft.com/v1.0/groups/a743348f-5667-41a4-89a3-5ad8a94da5d2' });
    const listed = await request(app).get(`${PACKAGES}/${a}/incompatibleGroups`).set(AUTH);
    expect(listed.body.value).toEqual([
      { id: GROUP, displayName: 'Sales team' },
      { id: 'a743348f-5667-41a4-89a3-5ad8a94da5d2', displayName: null },
    ]);
    expect((await request(app).get(`${PACKAGES}/${a}/incompatibleGroups/${GROUP}`).set(AUTH)).body).toMatchObject({ id: GROUP });
    expect((await request(app).get(`${PACKAGES}/${a}/incompatibleGroups?$filter=displayName eq 'Sales team'`).set(AUTH)).body.value).toHaveLength(1);
    expect((await request(app).delete(`${PACKAGES}/${a}/incompatibleGroups/${GROUP}/$ref`).set(AUTH)).status).toBe(204);
    expect((await request(app).get(`${PACKAGES}/${a}/incompatibleGroups`).set(AUTH)).body.value).toHaveLength(1);
  });

  it('pages the groups in a multi-key $orderby through every nextLink, each group once', async () => {
    const { app, a } = await setup();
    // Added out of id order; no catalog resource names them, so every displayName ties (null) and the id decides.
    const groups = ['f0000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-00000000000a', '80000000-0000-4000-8000-000000000003'];
    for (const group of groups) await addIncompatibleGroup(app, a, group);
    const sorted = [...groups].sort();
    expect(await groupPages(app, a, 'displayName,id desc')).toEqual([...sorted].reverse());
    expect(await groupPages(app, a, 'displayName desc,id')).toEqual(sorted);
  });

  it('orders groups by the names they have now, after the catalog resource that named them is gone', async () => {
    const { app, store, a } = await setup();
    const groupsCatalog = await createCatalog(app, 'Groups');
    const [alpha, beta, unnamed] = ['c0000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002', '80000000-0000-4000-8000-000000000003'];
    await addGroup(store, groupsCatalog, 'Alpha', alpha);
    await addGroup(store, groupsCatalog, 'Beta', beta);
    for (const group of [alpha, beta, unnamed]) await addIncompatibleGroup(app, a, group);
    expect(await groupPages(app, a, 'displayName')).toEqual([unnamed, alpha, beta]);
    // The catalog goes with its resources: no group has a name any more, so the id orders them all.
    expect((await request(app).delete(`${CATALOGS}/${groupsCatalog}`).set(AUTH)).status).toBe(204);
    const listed = await request(app).get(`${PACKAGES}/${a}/incompatibleGroups?$orderby=displayName`).set(AUTH);
    expect(listed.body.value).toEqual([
      { id: beta, displayName: null },
      { id: unnamed, displayName: null },
      { id: alpha, displayName: null },
    ]);
    expect(await groupPages(app, a, 'displayName')).toEqual([beta, unnamed, alpha]);
    expect(await groupPages(app, a, 'displayName desc')).toEqual([beta, unnamed, alpha]);
  });

  it('a group reference names a group by a GUID', async () => {
    const { app, a } = await setup();
    expectGraphError(
      await request(app).post(`${PACKAGES}/${a}/incompatibleGroups/$ref`).set(AUTH).send({ '@odata.id': 'https://graph.microsoft.com/beta/groups/sales' }),
      400,
      'BadRequest',
      "Invalid id 'sales': a group id is a GUID such as 0b6ee5b0-7b6f-4d84-8f2a-a5bd45d1c0c5.",
    );
    // So does the path of one linked group, read or removed, as every other item path does.
    for (const [method, path] of [
      ['get', `${PACKAGES}/${a}/incompatibleGroups/sales`],
      ['get', `${PACKAGES}/${a}/incompatibleGroups('sales')`],
      ['delete', `${PACKAGES}/${a}/incompatibleGroups/sales/$ref`],
    ] as const) {
      expectGraphError(
        await request(app)[method](path).set(AUTH),
        400,
        'BadRequest',
        "Invalid id 'sales': a group id is a GUID such as 0b6ee5b0-7b6f-4d84-8f2a-a5bd45d1c0c5.",
      );
    }
  });
});

describe('the key of a linked package, in every form a URL may write it', () => {
  it('reads `(id=…)`, `(…)` and the alternate key `(uniqueName=…)` in @odata.id, $id and the path, and nothing under the package', async () => {
    const { app, a, b, c } = await setup();
    await request(app).patch(`${PACKAGES}/${c}`).set(AUTH).send({ uniqueName: "sales 'reps'" }).expect(204);
    const url = `${PACKAGES}/${a}/incompatibleAccessPackages`;
    const add = (odataId: string) => request(app).post(`${url}/$ref`).set(AUTH).send({ '@odata.id': odataId });
    expect((await add(`${GRAPH_PACKAGES}(id='${b}')`)).status).toBe(204);
    expect((await add(`${GRAPH_PACKAGES}(uniqueName='sales ''reps''')`)).status).toBe(204);
    expect((await request(app).get(`${url}?$select=id`).set(AUTH)).body.value.map((p: { id: string }) => p.id).sort()).toEqual([b, c].sort());
    expectGraphError(await add(`${GRAPH_PACKAGES}(uniqueName='nobody')`), 404, 'ResourceNotFound', 'The resource was not found.');
    expectGraphError(
      await add(`${GRAPH_PACKAGES}/${b}/accessPackageCatalog`),
      400,
      'BadRequest',
      `The request body must name the access package by '@odata.id', as in ${GRAPH_PACKAGES}/{id}.`,
    );
    expect((await request(app).delete(`${url}(uniqueName='sales ''reps''')/$ref`).set(AUTH)).status).toBe(204);
    expect(
      (
        await request(app)
          .delete(`${url}/$ref?$id=${encodeURIComponent(`${GRAPH_PACKAGES}('${b}')`)}`)
          .set(AUTH)
      ).status,
    ).toBe(204);
    expect((await request(app).get(url).set(AUTH)).body.value).toEqual([]);
  });

  it('reads no key from an @odata.id longer than a request line: the same 400, at once, whatever follows', async () => {
    const { app, a, b } = await setup();
    const url = `${PACKAGES}/${a}/incompatibleAccessPackages/$ref`;
    // 256 KB that a search from every '/' took 3.5 s over; 16 KiB is the longest read.
    const long = `/${'ACCESSPACKAGES(/'.repeat(16 * 1024)}`;
    expectGraphError(
      await request(app).post(url).set(AUTH).send({ '@odata.id': long }),
      400,
      'BadRequest',
      `The request body must name the access package by '@odata.id', as in ${GRAPH_PACKAGES}/{id}.`,
    );
    const padded = `${GRAPH_PACKAGES}/${b}?${'x'.repeat(MAX_URL_CHARS - GRAPH_PACKAGES.length - b.length - 2)}`;
    expect(padded).toHaveLength(MAX_URL_CHARS);
    expect((await request(app).post(url).set(AUTH).send({ '@odata.id': padded })).status).toBe(204);
    expectGraphError(
      await request(app)
        .post(url)
        .set(AUTH)
        .send({ '@odata.id': `${padded}x` }),
      400,
      'BadRequest',
      `The request body must name the access package by '@odata.id', as in ${GRAPH_PACKAGES}/{id}.`,
    );
  });
});

describe('GET …/$ref, as Graph’s SDKs read the links', () => {
  it('lists the URL of each linked package or group, pages them as the list does, and takes no projection', async () => {
    const { app, a, b, c } = await setup();
    await linkAll(app, a, [b, c], '/v1.0');
    const refs = await request(app).get(`${PACKAGES}/${a}/incompatibleAccessPackages/$ref?$count=true`).set(AUTH);
    expect(refs.status).toBe(200);
    expect(refs.headers['content-type']).toMatch(/^application\/json;odata\.metadata=minimal/);
    expect(refs.body['@odata.context']).toBe('https://graph.microsoft.com/beta/$metadata#Collection($ref)');
    expect(refs.body['@odata.count']).toBe(2);
    expect(refs.body.value.map((r: { '@odata.id': string }) => r['@odata.id']).sort()).toEqual([`${GRAPH_PACKAGES}/${b}`, `${GRAPH_PACKAGES}/${c}`].sort());
    const first = await request(app).get(`${PACKAGES}/${a}/incompatibleAccessPackages/$ref?$top=1`).set(AUTH);
    expect(first.body.value).toHaveLength(1);
    const next = await request(app)
      .get(new URL(first.body['@odata.nextLink']).pathname + new URL(first.body['@odata.nextLink']).search)
      .set(AUTH);
    expect([...first.body.value, ...next.body.value]).toEqual(expect.arrayContaining(refs.body.value));
    expect(next.body['@odata.nextLink']).toBeUndefined();
    expect((await request(app).get(`${V1}/accessPackages/${a}/incompatibleGroups/$ref`).set(AUTH)).body).toEqual({
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#Collection($ref)',
      value: [{ '@odata.id': `https://graph.microsoft.com/v1.0/groups/${GROUP}` }],
    });
    expectGraphError(
      await request(app).get(`${PACKAGES}/${a}/incompatibleAccessPackages/$ref?$select=id`).set(AUTH),
      400,
      'BadRequest',
      "The query option '$select' cannot be applied to a $ref.",
    );
  });
});

describe('DELETE …/$ref?$id={url}, as Graph’s SDKs remove a link', () => {
  // The SDKs' request builders for the collection's $ref send the URL to unlink as `@id`, percent-encoded.
  const sdkQuery = (url: string) => `?@id=${encodeURIComponent(url)}`;

  it('removes the link to the package or group the query names (`@id` or `$id`), in beta and v1.0', async () => {
    const { app, a, b, c } = await setup();
    await linkAll(app, a, [b, c], '/beta');
    const removed = await request(app)
      .delete(`${PACKAGES}/${a}/incompatibleAccessPackages/$ref${sdkQuery(`${GRAPH_PACKAGES}/${b}`)}`)
      .set(AUTH);
    expect(removed.status).toBe(204);
    expect(removed.text).toBe('');
    expect((await request(app).get(`${PACKAGES}/${a}/incompatibleAccessPackages?$select=id`).set(AUTH)).body.value).toEqual([{ id: c }]);
    const v1 = `https://graph.microsoft.com/v1.0/identityGovernance/entitlementManagement/accessPackages/${c.toUpperCase()}`;
    expect((await request(app).delete(`${V1}/accessPackages/${a}/incompatibleAccessPackages/$ref?$id=${v1}`).set(AUTH)).status).toBe(204);
    expect((await request(app).get(`${PACKAGES}/${a}/incompatibleAccessPackages`).set(AUTH)).body.value).toEqual([]);
    const group = await request(app)
      .delete(`${PACKAGES}/${a}/incompatibleGroups/$ref${sdkQuery(`https://graph.microsoft.com/beta/groups/${GROUP}`)}`)
      .set(AUTH);
    expect(group.status).toBe(204);
    expect((await request(app).get(`${PACKAGES}/${a}/incompatibleGroups`).set(AUTH)).body.value).toEqual([]);
  });

  it('answers 404 for a link there is not, 400 when the query names nothing', async () => {
    const { app, a, b } = await setup();
    const url = `${PACKAGES}/${a}/incompatibleAccessPackages/$ref`;
    expectGraphError(
      await request(app)
        .delete(`${url}${sdkQuery(`${GRAPH_PACKAGES}/${b}`)}`)
        .set(AUTH),
      404,
      'ResourceNotFound',
      'The resource was not found.',
    );
    const expected = `The request must name the access package to remove by '$id', as in $ref?$id=${GRAPH_PACKAGES}/{id}.`;
    expectGraphError(await request(app).delete(url).set(AUTH), 400, 'BadRequest', expected);
    expectGraphError(await request(app).delete(`${url}?$id=https://graph.microsoft.com/beta/groups/${GROUP}`).set(AUTH), 400, 'BadRequest', expected);
    expectGraphError(
      await request(app).delete(`${PACKAGES}/${a}/incompatibleGroups/$ref?$id=https://graph.microsoft.com/beta/groups/sales`).set(AUTH),
      400,
      'BadRequest',
      "Invalid id 'sales': a group id is a GUID such as 0b6ee5b0-7b6f-4d84-8f2a-a5bd45d1c0c5.",
    );
  });

  it('400 for two ids, `$id` twice or `$id` beside `@id`, removing neither', async () => {
    const { app, a, b, c } = await setup();
    await linkAll(app, a, [b, c], '/beta');
    const url = `${PACKAGES}/${a}/incompatibleAccessPackages/$ref`;
    const twice = "Query option '$id' was specified more than once, but it must be specified at most once.";
    for (const query of [`?$id=${GRAPH_PACKAGES}/${b}&$id=${GRAPH_PACKAGES}/${c}`, `?$id=${GRAPH_PACKAGES}/${b}&@id=${GRAPH_PACKAGES}/${c}`]) {
      expectGraphError(await request(app).delete(`${url}${query}`).set(AUTH), 400, 'BadRequest', twice);
    }
    const left = (await request(app).get(`${PACKAGES}/${a}/incompatibleAccessPackages?$select=id`).set(AUTH)).body.value as { id: string }[];
    expect(left.map((p) => p.id).sort()).toEqual([b, c].sort());
  });
});

describe('the answers to a reference that names nothing, through v1.0', () => {
  it('show v1.0’s URLs and name Graph’s types only', async () => {
    const { app, a, catalogId } = await setup();
    const ref = (nav: string, odataId: string) => request(app).post(`${V1}/accessPackages/${a}/${nav}/$ref`).set(AUTH).send({ '@odata.id': odataId });
    const root = 'https://graph.microsoft.com/v1.0';
    expectGraphError(
      await ref('incompatibleAccessPackages', `${root}/identityGovernance/entitlementManagement/catalogs/${catalogId}`),
      400,
      'BadRequest',
      `The request body must name the access package by '@odata.id', as in ${root}/identityGovernance/entitlementManagement/accessPackages/{id}.`,
    );
    expectGraphError(
      await ref('incompatibleGroups', `${root}/users/${GROUP}`),
      400,
      'BadRequest',
      `The request body must name the group by '@odata.id', as in ${root}/groups/{id}.`,
    );
    expectGraphError(
      await ref('incompatibleGroups', `${root}/groups/notguid`),
      400,
      'BadRequest',
      "Invalid id 'notguid': a group id is a GUID such as 0b6ee5b0-7b6f-4d84-8f2a-a5bd45d1c0c5.",
    );
    // Beta's answer keeps beta's URL.
    const beta = await request(app)
      .post(`${PACKAGES}/${a}/incompatibleGroups/$ref`)
      .set(AUTH)
      .send({ '@odata.id': `${root}/users/${GROUP}` });
    expectGraphError(beta, 400, 'BadRequest', "The request body must name the group by '@odata.id', as in https://graph.microsoft.com/beta/groups/{id}.");
    // A body that is JSON but no object names nothing either: the same 400, not a server error.
    for (const body of ['null', '[]', '5', '"x"']) {
      const odd = await request(app).post(`${PACKAGES}/${a}/incompatibleGroups/$ref`).set(AUTH).set('Content-Type', 'application/json').send(body);
      expectGraphError(odd, 400, 'BadRequest', "The request body must name the group by '@odata.id', as in https://graph.microsoft.com/beta/groups/{id}.");
    }
  });
});

describe('$search on the incompatibility lists', () => {
  it('is refused naming the segment the request sent, not the stored links', async () => {
    const { app, a } = await setup();
    const lists = [
      `${PACKAGES}/${a}/incompatibleGroups`,
      `${PACKAGES}/${a}/incompatibleGroups/$ref`,
      `${V1}/accessPackages/${a}/incompatibleGroups`,
      `${PACKAGES}/${a}/incompatibleAccessPackages`,
      `${PACKAGES}/${a}/accessPackagesIncompatibleWith`,
    ];
    for (const path of lists) {
      const name = path
        .replace(/\/\$ref$/, '')
        .split('/')
        .pop();
      expectGraphError(
        await request(app).get(`${path}?$search=x`).set(AUTH),
        400,
        'BadRequest',
        `The query parameter '$search' is not supported on ${name}; use $filter=contains(tolower(displayName),'...').`,
      );
    }
  });
});
