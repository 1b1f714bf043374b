// docker-compose.yml checked offline by the compose CLI itself (.ci/run installs it), against the Dockerfile.
import { describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../support/childProcess.js';
import { runtimeStage } from '../support/dockerfile.js';

const installed = spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0;
/** A test that needs docker-compose: skipped where it is not installed, its name saying why. */
function itWithCompose(name: string, test: () => void): void {
  if (installed) it(name, test);
  else it.skip(`${name} (skipped: docker-compose is not installed here; .ci/run installs it)`, test);
}

function resolvedCompose(env: Record<string, string> = {}): string {
  return execFileSync('docker-compose', ['-f', 'docker-compose.yml', 'config'], { cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH, ...env } });
}

/** A published port in either spelling compose prints: `- 127.0.0.1:4000:4000/tcp` or `host_ip:` / `published:` lines. */
function publishes(config: string, hostIp: string, published: number, target: string): boolean {
  const short = config.includes(`- ${hostIp}:${published}:${target}/tcp`);
  const long = new RegExp(
    `host_ip: ${hostIp.replace(/\./g, '\\.')}\\n\\s+(?:mode: \\w+\\n\\s+)?(?:protocol: tcp\\n\\s+)?published: "?${published}"?\\n\\s+target: ${target}`,
  ).test(config);
  return short || long;
}

describe('docker-compose.yml', () => {
  itWithCompose('is valid for docker-compose config -q', () => {
    const check = spawnSync('docker-compose', ['-f', 'docker-compose.yml', 'config', '-q'], { cwd: ROOT, encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  itWithCompose('runs the image healthcheck, keeps data in a volume at DATA_FILE and mounts the faults folder read-only', () => {
    const stage = runtimeStage(ROOT);
    const config = resolvedCompose();
    expect(config).toContain(`test:\n      - CMD\n${stage.healthcheck.map((part) => `      - ${part}\n`).join('')}`);
    expect(config).toMatch(/volumes:\n {4}- emulator-data:\/data:rw\n {4}- \S+\/faults:\/faults:ro\n/);
    expect(stage.env.DATA_FILE!.startsWith('/data/')).toBe(true);
    expect(publishes(config, '127.0.0.1', 4000, stage.env.PORT!)).toBe(true);
  });

  itWithCompose("publishes on this machine's loopback unless EMULATOR_BIND widens it, and answers to its service name", () => {
    expect(publishes(resolvedCompose({ EMULATOR_BIND: '0.0.0.0', EMULATOR_PORT: '4100' }), '0.0.0.0', 4100, runtimeStage(ROOT).env.PORT!)).toBe(true);
    const config = resolvedCompose();
    const service = /^services:\n {2}(\w+):/m.exec(config)?.[1];
    expect(config).toMatch(new RegExp(`ALLOWED_HOSTS: ${service}\\n`));
    expect(config).toContain("ADMIN_TOKEN: ''");
    expect(config).toContain("CORS_ORIGINS: ''");
    // Left empty unless the shell sets them, so that CONFIG_FILE's values apply (the environment wins over the file).
    // Every setting of the configuration table (docs/configuration.md) but those the image fixes (HOST, PORT, DATA_FILE).
    const settings = [...readFileSync(path.join(ROOT, 'docs/configuration.md'), 'utf8').matchAll(/^\| `\w+` \| `--[\w-]+` \| `([A-Z_]+)` \|/gm)].map(
      (m) => m[1]!,
    );
    expect(settings.length).toBeGreaterThan(20);
    for (const name of settings.filter((n) => !['HOST', 'PORT', 'DATA_FILE', 'ALLOWED_HOSTS'].includes(n))) expect(config).toContain(`${name}: ''`);
  });

  itWithCompose('passes settings from the shell environment, FAULTS_FILE pointing into the mounted folder', () => {
    const out = execFileSync('docker-compose', ['-f', 'docker-compose.yml', 'config'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, FAULTS_FILE: '/faults/faults.json', AUTH: 'none', EMULATOR_PORT: '4100' },
    });
    expect(out).toContain('FAULTS_FILE: /faults/faults.json');
    expect(out).toContain('AUTH: none');
    expect(publishes(out, '127.0.0.1', 4100, runtimeStage(ROOT).env.PORT!)).toBe(true);
  });
});
