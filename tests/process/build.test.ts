// The build output as its users run it: the Docker image's CMD and HEALTHCHECK, the npm bin, the package exports.
import { afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PACKAGE_VERSION } from '../../server/version.js';
import { ROOT, childEnv, spawnProcess, tempDir } from '../support/childProcess.js';
import { runtimeStage } from '../support/dockerfile.js';
import { countsOf } from '../support/counts.js';
import { generateDataset } from '../../server/tenantData/generate.js';
import { staleBuild } from '../support/staleBuild.js';

const stage = runtimeStage(ROOT);

function healthcheck(env: Record<string, string>): { status: number | null; stderr: string } {
  const [command, ...args] = stage.healthcheck;
  const run = spawnSync(command!, args, { cwd: ROOT, env: childEnv({ ...stage.env, ...env }), timeout: 10_000, encoding: 'utf8' });
  return { status: run.status, stderr: run.stderr };
}

describe('build output', () => {
  beforeAll(() => {
    // A stale dist/ would test yesterday's code: rebuilt unless every file of it is newer than every input (as
    // after `npm run build`, which the tests' set-up leaves alone).
    if (staleBuild() !== undefined) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'pipe' });
  }, 120_000);

  // An emulator a failed test left running would hold jest open after the run.
  const started: ReturnType<typeof spawnProcess>[] = [];
  afterEach(async () => {
    const left = started.splice(0).filter((proc) => proc.child.exitCode === null && proc.child.signalCode === null);
    for (const proc of left) proc.child.kill('SIGKILL');
    await Promise.all(left.map((proc) => proc.exited));
  });

  it('the runtime stage runs as a non-root user on 0.0.0.0, exposes its port and keeps data in a volume', () => {
    expect(stage.user).toBe('node');
    expect(stage.env).toMatchObject({ HOST: '0.0.0.0', PORT: '4000', DATA_FILE: '/data/db.json', NODE_ENV: 'production' });
    expect(stage.exposed).toEqual([stage.env.PORT]);
    expect(stage.volumes).toEqual([path.dirname(stage.env.DATA_FILE!)]);
    expect(stage.cmd[0]).toBe('node');
    expect(stage.healthcheck[0]).toBe('node');
  });

  it('the HEALTHCHECK reports a setting it cannot load as unhealthy (1, as Docker reads it) in one line, without a stack trace', () => {
    const [command, ...args] = stage.healthcheck;
    const run = spawnSync(command!, args, { cwd: ROOT, env: childEnv({ ...stage.env, HTTPS: 'maybe' }), timeout: 10_000, encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe("error: HTTPS must be true or false; got 'maybe'.\n");
  });

  it('every stage runs a maintained Node LTS, and engines names it beside the Node 20 the tests run on', () => {
    const images = [...readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8').matchAll(/^FROM\s+node:(\d+)-/gim)].map(([, major]) => Number(major));
    expect(images.length).toBeGreaterThanOrEqual(2);
    // Node 20 ended in April 2026; 22, 24 and 26 are the LTS lines maintained in 2027.
    for (const major of images) expect([22, 24, 26]).toContain(major);
    const engines = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
    expect(engines).toContain(`^${images[0]}.`);
    expect(engines).toMatch(/\^20\.11/);
    expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(20);
  });

  it("the Dockerfile's CMD starts the built emulator, its HEALTHCHECK passes, and SIGTERM stops it with exit 0", async () => {
    const dataFile = path.join(tempDir(), 'db.json');
    const [command, ...args] = stage.cmd;
    const proc = spawnProcess(command!, args, { ...stage.env, PORT: '0', DATA_FILE: dataFile });
    started.push(proc);
    const [, url, port] = await proc.waitFor(/listening on (http:\/\/localhost:(\d+))\/beta \(bound to 0\.0\.0\.0:\d+, every interface; data: /);

    const res = await fetch(`${url}/_emulator/health`);
    expect(res.status).toBe(200);
    // A fresh volume gets the default fixture set: the build ships fixtures/ with the schemas.
    expect(await res.json()).toEqual({
      status: 'ok',
      version: PACKAGE_VERSION,
      store: path.basename(dataFile),
      records: countsOf(generateDataset({ seed: 42, accessPackages: 25, accessPackageCatalogs: 3 })),
      tenants: 1,
    });
    expect(healthcheck({ PORT: port! })).toEqual({ status: 0, stderr: '' });
    const created = await fetch(`${url}/beta/identityGovernance/entitlementManagement/accessPackages`, {
      method: 'POST',
      headers: { Authorization: 'Bearer t', 'Content-Type': 'application/json' },
      body: '{"displayName":"in the image"}',
    });
    expect(created.status).toBe(201);

    proc.child.kill('SIGTERM');
    expect(await proc.exited).toEqual({ code: 0, signal: null });
    // Docker shows what the probe printed: why it failed, in one line.
    expect(healthcheck({ PORT: port! })).toEqual({
      status: 1,
      stderr: `unhealthy: http://127.0.0.1:${port}/_emulator/health connect ECONNREFUSED 127.0.0.1:${port}\n`,
    });
    // Not a terminal, so every line of stdout is JSON (`docker logs … | jq`), the command line's own lines too, at
    // info: the request is there, the health probes (debug) are not.
    const logLines = proc
      .stdout()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const own = (msg: unknown, fields: object = {}) =>
      expect.objectContaining({ level: 'info', pid: proc.child.pid, hostname: expect.any(String), msg, ...fields });
    // The image binds every interface: without ADMIN_TOKEN it says at start who can reach the admin API.
    expect(logLines).toEqual([
      expect.objectContaining({
        level: 'warn',
        bound: `0.0.0.0:${port}, every interface`,
        msg: expect.stringMatching(/no ADMIN_TOKEN is set: anyone who can reach this port can reset and export the data/),
      }),
      own(expect.stringMatching(`^Graph accessPackages emulator listening on ${url}/beta \\(bound to 0\\.0\\.0\\.0:${port}, every interface; data: `), { url }),
      expect.objectContaining({ level: 'info', method: 'POST', status: 201, requestId: created.headers.get('request-id') }),
      own('SIGTERM: finishing in-flight requests and flushing data'),
      own('stopped: data flushed'),
    ]);
    expect(new Date(logLines[1]!['time'] as string).toISOString()).toBe(logLines[1]!['time']);
    expect(proc.stderr()).toBe('');
  });

  it('with HTTPS=true the same HEALTHCHECK passes against the TLS listener', async () => {
    const dataFile = path.join(tempDir(), 'db.json');
    const [command, ...args] = stage.cmd;
    const proc = spawnProcess(command!, args, { ...stage.env, PORT: '0', DATA_FILE: dataFile, HTTPS: 'true' });
    started.push(proc);
    const [, port] = await proc.waitFor(/listening on https:\/\/localhost:(\d+)\/beta/);
    await proc.waitFor(new RegExp(`NODE_EXTRA_CA_CERTS=${path.join(path.dirname(dataFile), 'tls', 'ca.pem')}`));
    expect(healthcheck({ PORT: port!, HTTPS: 'true' })).toEqual({ status: 0, stderr: '' });
    // Plain http against the TLS port is not healthy: the probe follows the container's own settings, and says so.
    const plain = healthcheck({ PORT: port!, HTTPS: 'false' });
    expect(plain.status).toBe(1);
    expect(plain.stderr).toMatch(new RegExp(`^unhealthy: http://127\\.0\\.0\\.1:${port}/_emulator/health \\S.*\\n$`));
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toEqual({ code: 0, signal: null });
  });

  it('the package bin is the built command line, with a node shebang', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string>; name: string };
    const bin = path.join(ROOT, pkg.bin[pkg.name]!);
    expect(readFileSync(bin, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    const help = spawnSync(process.execPath, [bin, '--help'], { cwd: tempDir(), env: childEnv({}), encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain(`Usage: ${pkg.name} [options]`);
    const unknown = spawnSync(process.execPath, [bin, '--nope'], { cwd: tempDir(), env: childEnv({}), encoding: 'utf8' });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toBe("error: Unknown option '--nope'. Run with --help to see the options.\n");
  });

  it('the command line compiles its bundle from the code cache the build wrote for it', () => {
    const script = `process.argv = [process.execPath, 'cli.js', '--version'];
      const { fromCodeCache } = await import('./dist/server/cli.js');
      console.log(JSON.stringify({ fromCodeCache }));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, env: childEnv({}), encoding: 'utf8' });
    expect(out.split('\n')).toEqual([PACKAGE_VERSION, '{"fromCodeCache":true}', '']);
  });

  it("npm start's CommonJS entry compiles the same bundle from the same cache, read as the ASCII the build wrote", () => {
    const script = `process.argv = [process.execPath, 'cli.js', '--version'];
      const { fromCodeCache } = require('./dist/server/cli.entry.cjs');
      console.log(JSON.stringify({ fromCodeCache }));`;
    const out = execFileSync(process.execPath, ['-e', script], { cwd: ROOT, env: childEnv({}), encoding: 'utf8' });
    expect(out.split('\n')).toEqual([PACKAGE_VERSION, '{"fromCodeCache":true}', '']);
    // Latin-1 reads the bundle as it is only when every byte is ASCII (scripts/build.js escapes what esbuild leaves).
    const bundle = readFileSync(path.join(ROOT, 'dist/server/cli.cjs'));
    expect(bundle.findIndex((byte) => byte > 0x7f)).toBe(-1);
  });

  it('the package exports resolve to the build: startEmulator works from plain Node', () => {
    const script = `
      import { startEmulator, createApp } from 'graph-accesspackages-emulator';
      const emulator = await startEmulator({ auth: 'none' });
      const res = await fetch(emulator.url + '/beta/identityGovernance/entitlementManagement/accessPackages', {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"displayName":"from dist"}' });
      const body = await res.json();
      await emulator.close();
      console.log(JSON.stringify({ status: res.status, displayName: body.displayName, createApp: typeof createApp, url: emulator.url }));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, env: childEnv({}), encoding: 'utf8' });
    expect(JSON.parse(out)).toMatchObject({
      status: 201,
      displayName: 'from dist',
      createApp: 'function',
      url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
    });
  });
});
