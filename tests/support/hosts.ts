// Host values that are no `host[:port]` (RFC 3986 §3.2.2; an empty host, RFC 9110 §4.2.1; a port of 0 or past 65535): each refused by
// http/hostSyntax.ts, and a 400 under every ALLOWED_HOSTS. An empty Host header itself: http/hostSyntax.test.ts.
export const INVALID_HOSTS = [
  'evil.example/steal?x=',
  'a b',
  '[::1',
  'a.example\\',
  'a.example:80:80',
  'a.example"><script>',
  'a.example:port',
  '[zz]:80',
  'a%zz',
  '[fe80::1%25eth0]',
  ':80',
  ':',
  // No port a client can reach, which `new URL` refuses.
  'localhost:0',
  'localhost:000',
  'localhost:65536',
  '[::1]:99999',
];
