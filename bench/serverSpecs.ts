// How the benchmark starts each server: the emulator as a user runs it (the build, a data file, bearer auth, the
// journal on), json-server and bare Express beside it, and the emulators started for one purpose (the first size's
// twin, the policies, the fixtures, the journal pairs, the tenants), each on its own data file.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchOptions } from './options.js';
import { type ServerName, type ServerSpec, childEnv } from './servers.js';
import { benchId } from './dataset.js';
import { DEFAULT_FIXTURES } from '../server/tenantData/sets.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const JSON_SERVER_BIN = path.join(ROOT, 'node_modules/json-server/lib/bin.js');

export interface SizeFiles {
  emulator: string;
  jsonServer: string;
  canned: string;
  /** express-durable's append-only file. */
  durable: string;
  /** emulator-small's data file: the first size's records, written afresh for each later size. */
  small: string;
  /** emulator-policies's data file: this size's records and a policy for each. */
  policies: string;
  /** emulator-fixtures's data file, missing at its start: seeded with the default fixtures. */
  fixtures: string;
  /** emulator-journal's and emulator-nojournal's data files: this size's records, written afresh for each pair. */
  journal: string;
  noJournal: string;
  /** emulator-tenants's and emulator-one-tenant's data files: the largest size's records in 100 tenants, and in one. */
  tenants: string;
  oneTenant: string;
}

/** The data files of one size's servers, in the run's folder. */
export function sizeFiles(dir: string, size: number): SizeFiles {
  return {
    emulator: path.join(dir, `emulator-${size}.json`),
    jsonServer: path.join(dir, `json-server-${size}`, 'db.json'),
    canned: path.join(dir, 'express-answers.json'),
    durable: path.join(dir, `express-durable-${size}.jsonl`),
    small: path.join(dir, `emulator-small-${size}.json`),
    policies: path.join(dir, `emulator-policies-${size}.json`),
    fixtures: path.join(dir, 'emulator-fixtures.json'),
    journal: path.join(dir, `emulator-journal-${size}.json`),
    noJournal: path.join(dir, `emulator-nojournal-${size}.json`),
    tenants: path.join(dir, `emulator-tenants-${size}.json`),
    oneTenant: path.join(dir, `emulator-one-tenant-${size}.json`),
  };
}

export function specFor(name: ServerName, port: number, files: SizeFiles, options: BenchOptions): ServerSpec {
  const env = { PORT: String(port) };
  switch (name) {
    case 'emulator':
    case 'emulator-small':
    case 'emulator-policies':
    case 'emulator-fixtures':
    case 'emulator-journal':
    case 'emulator-nojournal':
    case 'emulator-tenants':
    case 'emulator-one-tenant':
      return {
        name,
        command: process.execPath,
        args: options.emulator === 'dist' ? ['dist/server/cli.js'] : ['--import', 'tsx', 'server/bin/cli.ts'],
        cwd: ROOT,
        // File persistence, bearer auth, no faults: the emulator as a CI job or a frontend would run it.
        env: childEnv({
          ...env,
          HOST: '127.0.0.1',
          DATA_FILE: {
            emulator: files.emulator,
            'emulator-small': files.small,
            'emulator-policies': files.policies,
            'emulator-fixtures': files.fixtures,
            'emulator-journal': files.journal,
            'emulator-nojournal': files.noJournal,
            'emulator-tenants': files.tenants,
            'emulator-one-tenant': files.oneTenant,
          }[name],
          AUTH: 'bearer',
          // What a reset restores: the defaults, stated so that the caller's environment cannot change them.
          FIXTURES: DEFAULT_FIXTURES,
          SEED: '42',
          // The journal is on by default, as a user runs the emulator; its twin runs without.
          JOURNAL: name === 'emulator-nojournal' ? 'off' : 'on',
        }),
        healthPath: '/_emulator/health',
      };
    case 'emulator-npm':
      return {
        name,
        command: 'npm',
        args: ['start'],
        cwd: ROOT,
        env: childEnv({ ...env, HOST: '127.0.0.1', DATA_FILE: files.emulator, AUTH: 'bearer' }),
        healthPath: '/_emulator/health',
      };
    case 'json-server-npm':
      // The package.json beside db.json, written with the data, has `"start": "exec node <json-server> --port $PORT db.json"`.
      return { name, command: 'npm', args: ['start'], cwd: path.dirname(files.jsonServer), env: childEnv(env), healthPath: `/accessPackages/${benchId(0)}` };
    case 'json-server':
      return {
        name,
        command: process.execPath,
        args: [JSON_SERVER_BIN, '--port', String(port), path.basename(files.jsonServer)],
        cwd: path.dirname(files.jsonServer),
        env: childEnv(env),
        healthPath: `/accessPackages/${benchId(0)}`,
      };
    case 'express':
    case 'express-durable':
    case 'express-classes':
      return {
        name,
        command: process.execPath,
        args: ['--import', 'tsx', 'bench/bareExpress.ts'],
        cwd: ROOT,
        env: childEnv({
          ...env,
          BENCH_CANNED: files.canned,
          ...(name === 'express-durable' ? { BENCH_DURABLE_FILE: files.durable } : {}),
          ...(name === 'express-classes' ? { BENCH_MESSAGE_CLASSES: '1' } : {}),
        }),
        healthPath: '/health',
      };
  }
}
