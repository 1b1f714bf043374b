// The code's floors, read from its static imports: a lower floor never imports a higher one, the
// healthcheck loads no schema machinery, and request state travels on the one request context.
import { describe, expect, it } from '@jest/globals';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

const SERVER = path.resolve(new URL('../../server', import.meta.url).pathname);

function sources(dir = SERVER): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sources(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

/**
 * Static imports of a file, resolved to files or package names. Type-only imports tie the floors too;
 * `runtime` leaves them out (they are erased) to see what a process loads.
 */
function importsOf(file: string, runtime = false): string[] {
  const text = readFileSync(file, 'utf8');
  const statements = [...text.matchAll(/^\s*((?:import|export)\b[^'"]*?)from\s+'([^']+)'/gm)];
  return statements
    .filter(([, head]) => !runtime || !/^\s*(import|export)\s+type\b/.test(head!))
    .map(([, , spec]) => (spec!.startsWith('.') ? path.resolve(path.dirname(file), spec!).replace(/\.js$/, '.ts') : spec!));
}

/** The folder a file lives in under server/ ('' for the top level). */
function floorOf(file: string): string {
  const relative = path.relative(SERVER, file);
  return relative.includes(path.sep) ? relative.split(path.sep)[0]! : '';
}

// Each folder and what it may import from the others (top-level modules are the ground floor, but TOP_LEVEL_REACHES).
const MAY_IMPORT: Record<string, readonly string[]> = {
  '': [''],
  store: [''],
  identity: ['', 'store'],
  odata: ['', 'store'],
  faults: [''],
  tenantData: ['', 'store', 'resources'],
  http: ['', 'faults', 'store', 'identity'],
  metadata: [''],
  resources: ['', 'http', 'odata', 'store', 'metadata', 'identity'],
  admin: ['', 'http', 'faults', 'store', 'tenantData', 'identity'],
  // The jest helpers import the library by the package's name, as its users do, never a file of it.
  jest: [],
  bin: ['', 'store', 'tenantData', 'metadata'],
};

const EVERY_FLOOR = ['', 'store', 'tenantData', 'faults', 'http', 'resources', 'admin', 'identity'];

/**
 * Top-level modules that reach above the ground floor (docs/architecture.md, "Floors"): the composition root, which
 * builds on every floor, and the few that name what an upper floor defines.
 */
const TOP_LEVEL_REACHES: Record<string, readonly string[]> = {
  'app.ts': EVERY_FLOOR,
  'appOptions.ts': EVERY_FLOOR,
  'objectOptions.ts': EVERY_FLOOR,
  'emulator.ts': EVERY_FLOOR,
  'emulatorControls.ts': EVERY_FLOOR,
  'index.ts': EVERY_FLOOR,
  'settings.ts': ['', 'http', 'tenantData'],
  'settingValues.ts': ['', 'tenantData'],
  'config.ts': ['', 'http'],
  'tls.ts': ['', 'store'],
  'heap.ts': ['', 'store'],
  'jsonFile.ts': ['', 'http'],
};

function mayImport(file: string): readonly string[] {
  const floor = floorOf(file);
  return (floor === '' ? TOP_LEVEL_REACHES[path.basename(file)] : undefined) ?? MAY_IMPORT[floor]!;
}

describe('floors', () => {
  const files = sources();

  it.each(Object.keys(MAY_IMPORT))('%s/ imports only from the floors it builds on', (floor) => {
    const wrong = files
      .filter((file) => floorOf(file) === floor)
      .flatMap((file) =>
        importsOf(file)
          .filter((target) => target.startsWith(SERVER))
          .map((target) => ({ file, target })),
      )
      .filter(({ file, target }) => floorOf(target) !== floorOf(file) && !mayImport(file).includes(floorOf(target)))
      .map(({ file, target }) => `${path.relative(SERVER, file)} -> ${path.relative(SERVER, target)}`);
    expect(wrong).toEqual([]);
  });

  it('every folder has its place in the table', () => {
    expect([...new Set(files.map(floorOf))].sort()).toEqual(Object.keys(MAY_IMPORT).sort());
  });

  it('the healthcheck reaches neither Ajv, json-schema-faker, the generator nor the store', () => {
    const seen = new Set<string>();
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const target of importsOf(file, true))
        if (target.startsWith(SERVER)) visit(target);
        else seen.add(target);
    };
    visit(path.join(SERVER, 'bin/healthcheck.ts'));
    const reached = [...seen].map((f) => (f.startsWith(SERVER) ? path.relative(SERVER, f) : f));
    expect(reached).toContain('config.ts');
    for (const heavy of ['ajv', 'ajv-formats', 'json-schema-faker', 'tenantData/generate.ts', 'tenantData/loadRecords.ts', 'store/fileStore.ts', 'express']) {
      expect(reached).not.toContain(heavy);
    }
  });

  it('no module keeps per-request state in a WeakMap keyed by the request', () => {
    const offenders = files.filter((file) => /WeakMap<\s*(Request|Response)/.test(readFileSync(file, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
