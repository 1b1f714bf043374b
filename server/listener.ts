// Where the emulator listens, as a URL a client on this machine can use (start-up line, healthcheck,
// certificate names).

/** HOST values that listen on every interface: a client reaches them through some concrete name. */
export function isWildcardHost(host: string): boolean {
  return host === '0.0.0.0' || host === '::';
}

/** The URL a client on this machine uses for the listener at `host:port` (a wildcard host answers as `reachAs`). */
export function listenerUrl(https: boolean, host: string, port: number, reachAs: string): string {
  const name = isWildcardHost(host) ? reachAs : host;
  return `${https ? 'https' : 'http'}://${name.includes(':') ? `[${name}]` : name}:${port}`;
}
