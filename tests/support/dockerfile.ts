// Reads what the Dockerfile's runtime stage runs, so tests can run exactly that against a build output.
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface RuntimeStage {
  env: Record<string, string>;
  cmd: string[];
  healthcheck: string[];
  exposed: string[];
  volumes: string[];
  user: string | undefined;
}

export function runtimeStage(root: string): RuntimeStage {
  const text = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
  const lines = text.split('\n').filter((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  const lastFrom = lines.map((l) => /^FROM\s/i.test(l)).lastIndexOf(true);
  const stage: RuntimeStage = { env: {}, cmd: [], healthcheck: [], exposed: [], volumes: [], user: undefined };
  for (const line of lines.slice(lastFrom + 1)) {
    const [, instruction = '', rest = ''] = /^(\w+)\s+(.*)$/.exec(line.trim()) ?? [];
    switch (instruction.toUpperCase()) {
      case 'ENV':
        for (const pair of rest.split(/\s+/)) {
          const [key, ...value] = pair.split('=');
          stage.env[key!] = value.join('=');
        }
        break;
      case 'CMD':
        stage.cmd = JSON.parse(rest) as string[];
        break;
      case 'HEALTHCHECK':
        stage.healthcheck = JSON.parse(rest.slice(rest.indexOf('CMD ') + 4)) as string[];
        break;
      case 'EXPOSE':
        stage.exposed.push(...rest.split(/\s+/));
        break;
      case 'VOLUME':
        stage.volumes.push(...(JSON.parse(rest) as string[]));
        break;
      case 'USER':
        stage.user = rest;
        break;
    }
  }
  return stage;
}
