// --https as its users run it: a real process, a generated local CA, Node clients that trust only that CA.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { chmodSync, copyFileSync, lstatSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { request } from 'node:https';
import path from 'node:path';
import * as x509 from '@peculiar/x509';
import { LISTENING, type Spawned, spawnEmulator, tempDir } from '../support/childProcess.js';

const ACCESS_PACKAGES = '/beta/identityGovernance/entitlementManagement/accessPackages';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function httpsPost(url: string, ca: string, body: unknown): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', ca, headers: { Authorization: 'Bearer t', 'Content-Type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/** The data folder of the emulator started below, which makes the CA and the certificates at its start. */
const dir = tempDir();

describe('--https with a generated local CA', () => {
  const dataFile = path.join(dir, 'db.json');
  let proc: Spawned;
  let port: string;
  let caFile: string;

  beforeAll(async () => {
    // Warnings logged (jest's NODE_ENV=test makes the default level silent).
    proc = spawnEmulator(['--https', '--port', '0', '--data', dataFile], { LOG_LEVEL: 'warn' });
    [, , port] = (await proc.waitFor(/listening on (https:\/\/127\.0\.0\.1:(\d+))\/beta/)) as unknown as [string, string, string];
    [, caFile] = (await proc.waitFor(/NODE_EXTRA_CA_CERTS=(\S+)/)) as unknown as [string, string];
  });
  afterAll(async () => {
    proc.child.kill('SIGTERM');
    await proc.exited;
  });

  it('keeps the CA beside the data and prints how to trust it', () => {
    expect(caFile).toBe(path.join(dir, 'tls', 'ca.pem'));
    expect(readFileSync(caFile, 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----/);
  });

  it('lets other users of the data volume read the certificates, never the keys', () => {
    // docs/docker.md: another service mounts the volume read-only and trusts /data/tls/ca.pem.
    const modes = Object.fromEntries(
      ['', 'ca.pem', 'cert.pem', 'ca-key.pem', 'key.pem'].map((name) => [name, statSync(path.join(dir, 'tls', name)).mode & 0o777]),
    );
    expect(modes).toEqual({ '': 0o755, 'ca.pem': 0o644, 'cert.pem': 0o644, 'ca-key.pem': 0o600, 'key.pem': 0o600 });
    expect(readdirSync(path.join(dir, 'tls')).sort()).toEqual(['ca-key.pem', 'ca.pem', 'cert.pem', 'key.pem']);
  });

  it.each(['127.0.0.1', 'localhost'])('a Node https client trusting only the CA creates over https://%s', async (host) => {
    const answer = await httpsPost(`https://${host}:${port}${ACCESS_PACKAGES}`, readFileSync(caFile, 'utf8'), { displayName: `via ${host}` });
    expect(answer.status).toBe(201);
    expect(answer.headers['odata-version']).toBe('4.0');
    // Graph's year of HSTS would make a browser force https on every http://localhost app: over TLS, none.
    expect(answer.headers['strict-transport-security']).toBe('max-age=0');
    expect(answer.headers.location).toMatch(new RegExp(`^https://${host}:${port}${ACCESS_PACKAGES}/[0-9a-f-]{36}$`));
    expect(JSON.parse(answer.body)).toMatchObject({ displayName: `via ${host}` });
  });

  it('makes certificates that strict verifiers accept: key identifiers, an EC key for signatures only, valid from an hour back', async () => {
    const ca = new x509.X509Certificate(readFileSync(caFile, 'utf8'));
    const leaf = new x509.X509Certificate(readFileSync(path.join(dir, 'tls', 'cert.pem'), 'utf8'));
    const caId = ca.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId;
    expect(caId).toMatch(/^[0-9a-f]{40}$/);
    expect(leaf.getExtension(x509.AuthorityKeyIdentifierExtension)?.keyId).toBe(caId);
    expect(leaf.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId).toMatch(/^[0-9a-f]{40}$/);
    expect(leaf.getExtension(x509.KeyUsagesExtension)?.usages).toBe(x509.KeyUsageFlags.digitalSignature);
    expect(ca.getExtension(x509.KeyUsagesExtension)?.usages).toBe(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign);
    for (const cert of [ca, leaf]) expect(Date.now() - cert.notBefore.getTime()).toBeGreaterThan(59 * 60 * 1000);
    await expect(leaf.verify({ publicKey: ca.publicKey })).resolves.toBe(true);
  });

  it('logs a plain http request sent to its port, which gets no answer', async () => {
    const socket = connect(Number(port), '127.0.0.1');
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.write(`GET ${ACCESS_PACKAGES} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`);
    await new Promise((resolve) => socket.once('close', resolve));
    expect(received).not.toMatch(/^HTTP\//);
    const [line] = (await proc.waitFor(/\{[^\n]*ERR_SSL_HTTP_REQUEST[^\n]*\}/)) as unknown as [string];
    expect(JSON.parse(line)).toMatchObject({
      level: 'warn',
      error: 'ERR_SSL_HTTP_REQUEST',
      msg: 'A plain http request reached the HTTPS port and got no answer: use an https:// URL.',
    });
  });

  it('a client without the CA refuses the certificate', async () => {
    await expect(httpsPost(`https://localhost:${port}${ACCESS_PACKAGES}`, '', {})).rejects.toThrow(
      /self[- ]signed|unable to verify|unable to get local issuer/i,
    );
  });

  it('serves a given certificate with --tls-cert/--tls-key, and reuses the CA on the next start', async () => {
    const given = spawnEmulator(['--tls-cert', path.join(dir, 'tls', 'cert.pem'), '--tls-key', path.join(dir, 'tls', 'key.pem')], {
      PORT: '0',
      DATA_FILE: ':memory:',
    });
    const [, url] = await given.waitFor(LISTENING);
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const answer = await httpsPost(`${url}${ACCESS_PACKAGES}`, readFileSync(caFile, 'utf8'), { displayName: 'given cert' });
    expect(answer.status).toBe(201);
    // A given certificate is the user's to trust: no CA hint.
    expect(given.stdout()).not.toContain('NODE_EXTRA_CA_CERTS');
    given.child.kill('SIGTERM');
    expect(await given.exited).toEqual({ code: 0, signal: null });
  });
  it.each([
    [
      'a certificate that is not PEM',
      'junk.txt',
      'key.pem',
      (tls: string) => `The certificate file ${tls}/junk.txt (TLS_CERT) is not a PEM certificate: no start line.`,
    ],
    [
      'an empty certificate file',
      'empty.pem',
      'key.pem',
      (tls: string) => `The certificate file ${tls}/empty.pem (TLS_CERT) is not a PEM certificate: the file is empty.`,
    ],
    [
      'a key that is not PEM',
      'cert.pem',
      'junk.txt',
      (tls: string) => `The key file ${tls}/junk.txt (TLS_KEY) is not a PEM private key without a passphrase: unsupported.`,
    ],
    [
      "a key of another certificate (the CA's)",
      'cert.pem',
      'ca-key.pem',
      (tls: string) => `The key file ${tls}/ca-key.pem (TLS_KEY) is not the key of the certificate ${tls}/cert.pem (TLS_CERT): key values mismatch.`,
    ],
  ])('%s exits 2 with one line naming the file, before the data file is opened', async (_, certName, keyName, message) => {
    const tls = path.join(dir, 'tls');
    writeFileSync(path.join(tls, 'junk.txt'), 'not a certificate\n');
    writeFileSync(path.join(tls, 'empty.pem'), '');
    const data = tempDir();
    const bad = spawnEmulator(['--tls-cert', path.join(tls, certName), '--tls-key', path.join(tls, keyName)], { DATA_FILE: path.join(data, 'db.json') });
    expect(await bad.exited).toEqual({ code: 2, signal: null });
    expect(bad.stderr()).toBe(`error: ${message(tls)}\n`);
    expect(bad.stdout()).toBe('');
    // No lock, journal or datasets folder left behind.
    expect(readdirSync(data)).toEqual([]);
  });
});

describe('--https restarted on the same data folder', () => {
  /**
   * A data folder as the first start above left it (its certificates, copied with their modes, which it checked),
   * and a restart on it: what that start finds in its tls folder, read after its stop.
   */
  function folderOfAFirstStart() {
    const folder = tempDir();
    const tls = (name: string) => path.join(folder, 'tls', name);
    mkdirSync(path.join(folder, 'tls'));
    for (const name of ['ca-key.pem', 'ca.pem', 'cert.pem', 'key.pem']) copyFileSync(path.join(dir, 'tls', name), tls(name));
    const files = () => ({ ca: readFileSync(tls('ca.pem'), 'utf8'), cert: readFileSync(tls('cert.pem'), 'utf8'), key: readFileSync(tls('key.pem'), 'utf8') });
    const restart = async () => {
      const proc = spawnEmulator(['--https'], { PORT: '0', DATA_FILE: path.join(folder, 'db.json') });
      await proc.waitFor(/NODE_EXTRA_CA_CERTS=/);
      proc.child.kill('SIGTERM');
      expect(await proc.exited).toEqual({ code: 0, signal: null });
      return files();
    };
    return { folder, tls, first: files(), restart };
  }

  it('keeps the same CA, so clients trust it once', async () => {
    const { first, restart } = folderOfAFirstStart();
    expect(await restart()).toEqual(first);
  });

  it('narrows a key file others may read to 0600, and makes anew a key that is a link rather than read through it', async () => {
    const { folder, tls, first, restart } = folderOfAFirstStart();
    chmodSync(tls('ca-key.pem'), 0o644);
    const planted = path.join(folder, 'planted-key.pem');
    writeFileSync(planted, first.key, { mode: 0o644 });
    unlinkSync(tls('key.pem'));
    symlinkSync(planted, tls('key.pem'));
    const second = await restart();
    // The same CA, its key narrowed; the server key made anew in a file of its own, the planted one untouched.
    expect(second.ca).toBe(first.ca);
    expect(statSync(tls('ca-key.pem')).mode & 0o777).toBe(0o600);
    expect(lstatSync(tls('key.pem')).isFile()).toBe(true);
    expect(statSync(tls('key.pem')).mode & 0o777).toBe(0o600);
    expect(second.key).not.toBe(first.key);
    expect(second.cert).not.toBe(first.cert);
    expect(readFileSync(planted, 'utf8')).toBe(first.key);
  });
});
