// Host values that are no `host[:port]` (RFC 3986 §3.2.2; an empty host, RFC 9110 §4.2.1): each refused by
// http/hostSyntax.ts, and a 400 under every ALLOWED_HOSTS. An empty Host header itself: emptyHost.test.ts.
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
];
