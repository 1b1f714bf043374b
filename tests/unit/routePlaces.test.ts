// placeOf: where a path stands in a routing table (its node, raw parameters and allowed methods), walked once per
// path and kept for the paths last asked; what a request gets from it over HTTP: tests/http/*.test.ts.
import { describe, expect, it } from '@jest/globals';
import { CACHED_PATHS, CACHED_PATH_CHARS, type Route, type RouteTable, placeOf } from '../../server/http/dispatch.js';
import { child, routeNode } from '../../server/http/routeTree.js';
import { section } from '../support/markdown.js';

const route: Route = { handler: () => {}, permissions: [] };

function table(): RouteTable {
  const root = routeNode<Route>();
  const things = child(root, 'things', routeNode<Route>({ GET: route, POST: route }));
  things.key = { param: 'id', node: routeNode<Route>({ GET: route, DELETE: route }) };
  child(root, 'empty');
  child(root, 'every', routeNode<Route>({ DELETE: route, PATCH: route, PUT: route, POST: route, GET: route }));
  return root;
}

describe('placeOf', () => {
  it('gives a path its node, its raw parameters and the methods it answers, in Graph order', () => {
    const routes = table();
    expect(placeOf(routes, '/things/a%20b')).toMatchObject({ params: { id: 'a%20b' }, allow: ['GET', 'HEAD', 'DELETE'] });
    expect(placeOf(routes, '/THINGS/')).toMatchObject({ params: {}, allow: ['GET', 'HEAD', 'POST'] });
    expect(placeOf(routes, '/every')?.allow).toEqual(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']);
  });

  it('gives null for a path the table does not know and for a node that answers nothing', () => {
    const routes = table();
    expect(placeOf(routes, '/other')).toBeNull();
    expect(placeOf(routes, '/empty')).toBeNull();
    // Asked again, from the cache: still nothing.
    expect(placeOf(routes, '/other')).toBeNull();
  });

  it('walks a path once while it is among the last 1,024 asked, and again once 1,024 others pushed it out', () => {
    const routes = table();
    const first = placeOf(routes, '/things/1');
    expect(placeOf(routes, '/things/1')).toBe(first);
    for (let i = 2; i <= 1024; i += 1) placeOf(routes, `/things/${i}`);
    // 1,024 paths asked: the first is still kept.
    expect(placeOf(routes, '/things/1')).toBe(first);
    placeOf(routes, '/things/1025');
    const again = placeOf(routes, '/things/1');
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
  });

  it('keeps no path longer than 512 characters, and each table its own places', () => {
    const routes = table();
    const long = `/things/${'x'.repeat(505)}`;
    expect(long).toHaveLength(513);
    expect(placeOf(routes, long)).not.toBe(placeOf(routes, long));
    const longest = `/things/${'x'.repeat(504)}`;
    expect(placeOf(routes, longest)).toBe(placeOf(routes, longest));
    const other = table();
    expect(placeOf(other, '/things/1')).not.toBe(placeOf(routes, '/things/1'));
    expect(placeOf(other, '/things/1')?.node).toBe(other.children.get('things')!.key!.node);
  });

  it('keeps what docs/security.md and docs/architecture.md say it keeps', () => {
    const row = section('docs/security.md', 'Bounded work per request')
      .split('\n')
      .find((line) => line.startsWith('| paths looked up |'));
    expect(row).toContain(`the last ${CACHED_PATHS.toLocaleString('en-US')} paths asked is kept, a path of at most ${CACHED_PATH_CHARS} characters`);
    expect(section('docs/architecture.md', 'The middleware order')).toContain(
      `kept for the ${CACHED_PATHS.toLocaleString('en-US')} paths last asked (each of at most ${CACHED_PATH_CHARS} characters)`,
    );
  });
});
