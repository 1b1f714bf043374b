// An IPvFuture host ([v1.x]) is one in either case of its "v" (ABNF strings are case-insensitive, RFC 5234 §2.3).
// An empty host (RFC 9110 §4.2.1: an http URI with an empty host is invalid and must be rejected) is a 400 in
// Graph's envelope under every ALLOWED_HOSTS, whether the Host header or an absolute-form target names it: a nextLink
// or Location built on it (`http:///beta/…`, which `new URL` reads as the host `beta`) would send a paging client's
// token elsewhere.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { seedPackages } from '../support/accessPackages.js';
import { AUTH, PACKAGES, expectGraphError } from '../support/graph.js';
import { type RealServer, realServer, sendRaw } from '../support/realServer.js';

const INVALID = (where: string) =>
  `The ${where} is not a valid host: a name, an IPv4 address or an [IPv6] address, never empty (RFC 9110 section 4.2.1), then an optional ':' and a port from 1 to 65535 (RFC 3986 section 3.2.2).`;
const LIST = `${PACKAGES}?$top=1&$select=id`;

describe.each([
  ['ALLOWED_HOSTS=*', '*' as const],
  ['the default hosts', undefined],
])('the host a request names, under %s', (_setting, allowedHosts) => {
  let emulator: RealServer;
  const store = new MemoryStore();
  beforeAll(async () => {
    await seedPackages(store, 2);
    emulator = await realServer({ store, ...(allowedHosts && { allowedHosts }) });
  });
  afterAll(() => emulator.close());

  const request = (target: string, host: string | undefined, rest = '') =>
    `GET ${target} HTTP/1.1\r\n${host === undefined ? '' : `Host:${host}\r\n`}Authorization: ${AUTH.Authorization}\r\nclient-request-id: mine-7\r\nConnection: close\r\n${rest}\r\n`;

  it.each([
    ['an empty Host header', LIST, ''],
    ['an empty Host header with a port', LIST, ' :80'],
    ['an empty Host header with an empty port', LIST, ' :'],
  ])('%s is 400, no nextLink', async (_case, target, host) => {
    const res = await sendRaw(emulator.port, request(target, host));
    expectGraphError(res, 400, 'BadRequest', INVALID('Host header'));
    expect(res.headers['client-request-id']).toBe('mine-7');
    expect(res.text).not.toContain('nextLink');
  });

  it.each([
    ['http://', `http://${LIST}`],
    ['http://:80', `http://:80${LIST}`],
    ['https://', `https://${LIST}`],
  ])('an absolute-form target with an empty host (%s) is 400, whatever Host says', async (_case, target) => {
    const res = await sendRaw(emulator.port, request(target, ` localhost:${emulator.port}`));
    expectGraphError(res, 400, 'BadRequest', INVALID("request target's host"));
    expect(res.text).not.toContain('nextLink');
  });

  it.each(['[v1.x]', '[V1.x]'])('an IPvFuture host %s, its "v" in either case, is no 400', async (host) => {
    const res = await sendRaw(emulator.port, request(LIST, ` ${host}`));
    if (allowedHosts === '*') {
      expect(res.status).toBe(200);
      expect(res.body['@odata.nextLink']).toMatch(new RegExp(`^http://\\${host.slice(0, -1)}\\]${PACKAGES}\\?`));
    } else
      expectGraphError(
        res,
        421,
        'MisdirectedRequest',
        `The host '${host}' is not a name this emulator answers for. If clients reach it by that name, add it to ALLOWED_HOSTS (comma-separated names).`,
      );
  });

  it('an HTTP/1.0 request with an empty Host is 400 too: nothing created, no Location', async () => {
    const body = '{"displayName":"x"}';
    const res = await sendRaw(
      emulator.port,
      `POST ${PACKAGES} HTTP/1.0\r\nHost: \r\nAuthorization: ${AUTH.Authorization}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
    expectGraphError(res, 400, 'BadRequest', INVALID('Host header'));
    expect(res.headers['location']).toBeUndefined();
    expect(store.count('accessPackages')).toBe(2);
  });
});
