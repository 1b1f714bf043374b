import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import path from 'node:path';
import { SETTINGS } from '../../server/settings.js';
import { PACKAGE_VERSION } from '../../server/version.js';
import { CLI_MAIN, LISTENING, spawnEmulator, spawnProcess, tempDir } from '../support/childProcess.js';

async function run(args: string[], env: Record<string, string> = {}) {
  const proc = spawnEmulator(args, env);
  const exit = await proc.exited;
  return { ...exit, stdout: proc.stdout(), stderr: proc.stderr() };
}

async function health(url: string) {
  const res = await fetch(`${url}/_emulator/health`);
  return { status: res.status, body: (await res.json()) as { store: string } };
}

describe('command line', () => {
  it('--help lists every setting with its flag and environment variable, and exits 0', async () => {
    const result = await run(['--help']);
    expect(result.code).toBe(0);
    for (const s of SETTINGS) {
      expect(result.stdout).toContain(s.flag);
      expect(result.stdout).toContain(s.env);
    }
    expect(result.stdout).toContain('Precedence: flag > environment > config file > default.');
  });

  it('refuses to start under --disallow-code-generation-from-strings, which would leave every write a 500: exit 2, one line', async () => {
    const proc = spawnProcess(process.execPath, ['--disallow-code-generation-from-strings', ...CLI_MAIN], { PORT: '0', DATA_FILE: ':memory:' });
    const result = { ...(await proc.exited), stdout: proc.stdout(), stderr: proc.stderr() };
    expect(result).toMatchObject({
      code: 2,
      stdout: '',
      stderr:
        'error: Node runs with --disallow-code-generation-from-strings (in NODE_OPTIONS?): the emulator checks request bodies with functions it compiles, and cannot run so. Start it without that flag.\n',
    });
  });

  it('--version prints the package version and exits 0', async () => {
    const result = await run(['--version']);
    expect(result).toMatchObject({ code: 0, stdout: `${PACKAGE_VERSION}\n`, stderr: '' });
  });

  it.each([
    [['--no-such-flag'], "error: Unknown option '--no-such-flag'. Run with --help to see the options."],
    [['--port', 'eighty'], "error: --port must be a whole number from 0 to 65535; got 'eighty'."],
    [['--port'], 'error: Option --port needs a value.'],
    [['--tls-cert', 'cert.pem'], 'error: --tls-cert and --tls-key (TLS_CERT, TLS_KEY) must be given together.'],
  ])('%j exits 2 with a message on stderr', async (args, message) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`${message}\n`);
    expect(result.stdout).toBe('');
  });

  it.each([
    [['--host', 'no-such-host.invalid'], /^error: Cannot listen: the HOST name 'no-such-host\.invalid' does not resolve \((ENOTFOUND|EAI_AGAIN)\)\.\n$/],
    // TEST-NET-1 (RFC 5737): never an address of this machine.
    [['--host', '192.0.2.1'], /^error: Cannot listen on 192\.0\.2\.1(:\d+)?: HOST is no address of this machine \(EADDRNOTAVAIL\)\.\n$/],
    // A link-local IPv6 address needs its zone (fe80::1%eth0).
    [
      ['--host', 'fe80::1'],
      /^error: Cannot listen on fe80::1(:\d+)?: HOST is no (address this machine can listen on \((EINVAL|EAFNOSUPPORT)\)|address of this machine \(EADDRNOTAVAIL\))\.\n$/,
    ],
  ])('%j, a HOST the listener cannot use, exits 2 with one line on stderr, no stack trace', async (args, message) => {
    const result = await run(args, { DATA_FILE: ':memory:' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });

  it('a port in use exits 1 with one line naming the address and what to do, before any data file is made', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as AddressInfo;
    const dir = tempDir();
    try {
      const result = await run(['--port', String(port)], { DATA_FILE: path.join(dir, 'db.json') });
      expect(result).toMatchObject({
        code: 1,
        stdout: '',
        stderr: `error: Cannot listen on 127.0.0.1:${port}: the port is in use (EADDRINUSE), by another emulator or another program: stop it, or use another PORT (0 picks a free one).\n`,
      });
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      holder.close();
    }
  });

  const canDropRoot = process.getuid?.() === 0 && existsSync('/usr/bin/setpriv');
  (canDropRoot ? it : it.skip)(
    `a port below 1024 without root exits 3 with one line naming the port${canDropRoot ? '' : ' (skipped: needs root and setpriv to run as nobody)'}`,
    async () => {
      const proc = spawnProcess('/usr/bin/setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, ...CLI_MAIN], {
        PORT: '81',
        DATA_FILE: ':memory:',
      });
      expect(await proc.exited).toEqual({ code: 3, signal: null });
      expect(proc.stderr()).toBe(
        'error: Cannot listen on 127.0.0.1:81: permission denied (EACCES): a port below 1024 needs root; use PORT=4000 or another above 1023.\n',
      );
    },
  );

  it('a bad environment value names the variable and exits 2', async () => {
    const result = await run([], { AUTH: 'basic' });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("error: AUTH must be one of bearer, strict, none; got 'basic'.\n");
  });

  it('an invalid config file exits 2 naming the file and the key', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'emulator.json');
    writeFileSync(file, JSON.stringify({ port: '4000', colour: 'blue' }));
    const result = await run(['--config', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`error: The config file ${file} is invalid:`);
    expect(result.stderr).toContain("'port' must be integer");
    expect(result.stderr).toContain("unknown key 'colour'");
  });

  it('takes settings from CONFIG_FILE, with environment and flags over it', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'emulator.json');
    writeFileSync(file, JSON.stringify({ port: 0, dataFile: path.join(dir, 'from-file.json'), auth: 'none' }));

    const fromFile = spawnEmulator([], { CONFIG_FILE: file });
    const [, url] = await fromFile.waitFor(LISTENING);
    expect(await health(url!)).toMatchObject({ status: 200, body: { store: 'from-file.json' } });
    // auth: none from the file: no token needed.
    const list = await fetch(`${url}/beta/identityGovernance/entitlementManagement/accessPackages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"displayName":"x"}',
    });
    expect(list.status).toBe(201);
    fromFile.child.kill('SIGTERM');
    expect(await fromFile.exited).toEqual({ code: 0, signal: null });

    const overridden = spawnEmulator(['--data', path.join(dir, 'from-flag.json')], { CONFIG_FILE: file, AUTH: 'bearer' });
    const [, url2] = await overridden.waitFor(LISTENING);
    expect(await health(url2!)).toMatchObject({ status: 200, body: { store: 'from-flag.json' } });
    const denied = await fetch(`${url2}/beta/identityGovernance/entitlementManagement/accessPackages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"displayName":"x"}',
    });
    expect(denied.status).toBe(401);
    expect(((await denied.json()) as { error: { code: string } }).error.code).toBe('InvalidAuthenticationToken');
    overridden.child.kill('SIGTERM');
    expect(await overridden.exited).toEqual({ code: 0, signal: null });
  });

  it('at a terminal, says where the admin page is and how to stop, after the listening line', async () => {
    const pretty = spawnEmulator(['--data', ':memory:', '--log-format', 'pretty']);
    const [, url] = await pretty.waitFor(LISTENING);
    const page = await fetch(`${url}/_emulator/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    pretty.child.kill('SIGINT');
    expect(await pretty.exited).toEqual({ code: 0, signal: null });
    expect(pretty.stdout().split('\n').slice(0, 2)).toEqual([
      `Graph accessPackages emulator listening on ${url}/beta (bound to ${new URL(url!).host}; data: :memory:)`,
      `Admin page: ${url}/_emulator/ (Ctrl-C stops the emulator)`,
    ]);
  });

  it('writes request lines to stdout while it runs: buffered, but out within a fraction of a second; JSON lines say nothing of the admin page or Ctrl-C', async () => {
    const proc = spawnEmulator(['--data', path.join(tempDir(), 'db.json'), '--log-level', 'info', '--log-format', 'json']);
    const [, url] = await proc.waitFor(LISTENING);
    const res = await fetch(`${url}/beta/identityGovernance/entitlementManagement/accessPackages`, { headers: { authorization: 'Bearer t' } });
    expect(res.status).toBe(200);
    // The process keeps running: the line comes from the flush timer, not from the exit.
    const [line] = await proc.waitFor(/^\{.*"status":200.*\}$/m);
    expect(JSON.parse(line)).toMatchObject({ level: 'info', method: 'GET', status: 200, requestId: res.headers.get('request-id') });
    expect(proc.child.exitCode).toBeNull();
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toEqual({ code: 0, signal: null });
    expect(proc.stdout()).not.toMatch(/Admin page|Ctrl-C/);
  });
});
