// docker-compose.yml checked offline by the compose CLI itself (.ci/run installs it), against the Dockerfile.
import { describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { ROOT } from '../support/childProcess.js';
import { runtimeStage } from '../support/dockerfile.js';

const installed = spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0;
const itWithCompose = installed ? it : it.skip;

function resolvedCompose(): string {
  return execFileSync('docker-compose', ['-f', 'docker-compose.yml', 'config'], { cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH } });
}

describe('docker-compose.yml', () => {
  itWithCompose(`is valid for docker-compose config -q${installed ? '' : ' (skipped: docker-compose is not installed here; .ci/run installs it)'}`, () => {
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
    expect(config).toContain(`- published: 4000\n      target: ${stage.env.PORT}\n`);
  });

  itWithCompose('passes settings from the shell environment, FAULTS_FILE pointing into the mounted folder', () => {
    const out = execFileSync('docker-compose', ['-f', 'docker-compose.yml', 'config'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, FAULTS_FILE: '/faults/faults.json', AUTH: 'none', EMULATOR_PORT: '4100' },
    });
    expect(out).toContain('FAULTS_FILE: /faults/faults.json');
    expect(out).toContain('AUTH: none');
    expect(out).toContain('- published: 4100');
  });
});
