// What a host is (http/hostSyntax.ts): `host[:port]` as RFC 3986 §3.2.2-3.2.3 spells it, never an empty host
// (RFC 9110 §4.2.1), read as the URLs built from it name it.
import { describe, expect, it } from '@jest/globals';
import { isHostAndPort, normalHost } from '../../server/http/hostSyntax.js';
import { INVALID_HOSTS } from '../support/hosts.js';

describe('normalHost', () => {
  it.each([
    ['localhost', 'localhost'],
    ['a.example:4000', 'a.example:4000'],
    ['a.example:', 'a.example'],
    ['localhost:0000080', 'localhost:80'],
    ['localhost:65535', 'localhost:65535'],
    ['[::1]:01', '[::1]:1'],
    ['127.0.0.1:80', '127.0.0.1:80'],
    ['[::1]:4000', '[::1]:4000'],
    ['[::1]:', '[::1]'],
    ['[::ffff:127.0.0.1]', '[::ffff:127.0.0.1]'],
    ['[v1.x]', '[v1.x]'],
    // ABNF quoted strings are case-insensitive (RFC 5234 §2.3): IPvFuture's "v" too.
    ['[V1.x]:80', '[V1.x]:80'],
    ['a%41b', 'a%41b'],
    ["sub!$&'()*+,;=", "sub!$&'()*+,;="],
  ])('reads %j as %j', (host, named) => {
    expect(normalHost(host)).toBe(named);
    expect(isHostAndPort(host)).toBe(true);
  });

  it.each([...INVALID_HOSTS, '', '[]', '[]:80', '[::1]x'])('refuses %j', (host) => {
    expect(normalHost(host)).toBeUndefined();
    expect(isHostAndPort(host)).toBe(false);
  });
});
