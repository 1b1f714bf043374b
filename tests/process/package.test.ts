// The package as another project gets it: `npm pack`, the tarball installed into a scratch project, then used there
// in both module systems: the bin through npx, the library from an ES module and from a CommonJS script, its types
// from .mts and .cts files, and jest's default (CommonJS) configuration with the package's globalSetup/globalTeardown
// pair, plus jest in ES module mode: the jest files of docs/ci.md, verbatim.
//
// The tarball is packed from a copy of the working tree (sharing its node_modules), so that nothing here rewrites
// the dist/ that other test files start processes from. What `npm pack` (and a git install, which packs) runs first
// is seen for real: prepack empties dist/, then prepare runs `npm run build`. The build itself is the one of the tree
// when dist/ is fresh (every file of it newer than every source, as `npm run build` leaves it; the build test checks
// what it makes), or else `npm run build` in the copy: the tarball holds the build of the sources as they are, and
// the compile (about 12 s of CPU) runs once, not once more for every run of this file.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { execFile } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { PACKAGE_VERSION } from '../../server/version.js';
import { ROOT, childEnv, tempDir } from '../support/childProcess.js';
import { fences, section } from '../support/markdown.js';
import { staleBuild } from '../support/staleBuild.js';

const NAME = 'graph-accesspackages-emulator';
const ACCESS_PACKAGES = '/beta/identityGovernance/entitlementManagement/accessPackages';
const JEST = path.join(ROOT, 'node_modules/jest/bin/jest.js');
const TSC = path.join(ROOT, 'node_modules/typescript/bin/tsc');
/** What the copy leaves out: installed or generated. The tests and the benchmark stay, to show they are not packed. */
const NOT_COPIED = new Set(['.git', 'node_modules', 'dist', 'data', 'coverage']);

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** The test's environment without jest's own variables (a jest run here is not one of this run's workers), plus `env`. */
function scratchEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = childEnv({});
  for (const key of Object.keys(base)) if (key.startsWith('JEST_')) delete base[key];
  return { ...base, ...env };
}

async function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<Result> {
  return promisify(execFile)(command, args, { cwd, env: scratchEnv(env), encoding: 'utf8', timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, stdout: err.stdout, stderr: err.stderr }),
  );
}

/** Runs and expects exit 0, showing stderr when not. */
async function succeed(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<string> {
  const result = await run(command, args, cwd, env);
  expect({ code: result.code, stderr: result.code === 0 ? '' : `${result.stderr}\n${result.stdout}` }).toEqual({ code: 0, stderr: '' });
  return result.stdout;
}

// A script that starts an emulator with the generated tenant (json-schema-faker runs), creates a package, sets a
// fault rule and prints what it saw; `load` is how the module system at hand gets the library.
const libraryScript = (load: string, label: string) => `${load}
const run = async () => {
  const emulator = await startEmulator({ fixtures: 'small' });
  const res = await fetch(emulator.url + '${ACCESS_PACKAGES}', {
    method: 'POST',
    headers: { Authorization: 'Bearer t', 'Content-Type': 'application/json' },
    body: JSON.stringify({ displayName: '${label}' }),
  });
  const body = await res.json();
  // A fault rule is checked against the faults schema (Ajv with ajv-errors) before it applies.
  await emulator.faults.set([{ method: 'GET', status: 503, retryAfter: 2 }]);
  const faulted = await fetch(emulator.url + '${ACCESS_PACKAGES}', { headers: { Authorization: 'Bearer t' } });
  await emulator.close();
  return { status: res.status, displayName: body.displayName, stored: emulator.store.count('accessPackages'), faulted: [faulted.status, faulted.headers.get('retry-after')] };
};
`;

const LOAD = { esm: `import { startEmulator } from '${NAME}';`, cjs: `const { startEmulator } = require('${NAME}');` };

const generatedTenantTest = (name: string) => `
test('${name}', async () => {
  const emulator = await startEmulator({ fixtures: 'small' });
  try {
    expect(emulator.store.count('accessPackages')).toBe(25);
  } finally {
    await emulator.close();
  }
});
`;

// The same TypeScript as .mts (declarations for import) and as .cts (for require), with one of the two jest entries.
const typesFile = (entry: 'globalSetup' | 'globalTeardown') => `import { type RunningEmulator, startEmulator } from '${NAME}';
import { URL_VARIABLE, setup, teardown } from '${NAME}/jest';
import ${entry} from '${NAME}/jest/${entry}';

export async function check(lastId?: string): Promise<string> {
  // An option or a filter given as undefined is allowed, exactOptionalPropertyTypes or not.
  const emulator: RunningEmulator = await startEmulator({ fixtures: 'small', auth: 'none', seed: undefined, logger: undefined, faults: undefined });
  await emulator.requests({ since: lastId });
  await emulator.close();
  const shared = await setup({ seed: 7 });
  await teardown();
  await ${entry}();
  return emulator.url + shared.url + URL_VARIABLE;
}
`;

const SCRATCH_FILES: Record<string, string> = {
  'esm.mjs': `${libraryScript(LOAD.esm, 'from ESM')}
console.log(JSON.stringify({ ...(await run()), entry: import.meta.resolve('${NAME}') }));
`,
  'cjs.cjs': `${libraryScript(LOAD.cjs, 'from CommonJS')}
run().then((seen) => console.log(JSON.stringify({ ...seen, entry: require.resolve('${NAME}') })));
`,
  'library.test.js': `${LOAD.cjs}
${generatedTenantTest('require() gives the library, and a generated tenant works under jest')}`,
  'library.test.mjs': `${LOAD.esm}
${generatedTenantTest('import gives the library under jest with --experimental-vm-modules')}
test('the emulator of the setup file of docs/ci.md holds the generated tenant it asks for', async () => {
  const res = await fetch(process.env.GRAPH_EMULATOR_URL + '/_emulator/health');
  expect((await res.json()).records).toMatchObject({ accessPackages: 25, accessPackageCatalogs: 3 });
});
`,
  'page.mjs': `${LOAD.esm}
const emulator = await startEmulator({ fixtures: 'empty' });
const page = await fetch(emulator.url + '/_emulator/');
const script = await fetch(emulator.url + '/_emulator/ui/assets/app.js');
console.log(JSON.stringify({ page: page.status, type: page.headers.get('content-type'), html: (await page.text()).includes('app.js'), script: script.status, bytes: (await script.text()).length }));
await emulator.close();
`,
  'types.mts': typesFile('globalSetup'),
  'types.cts': typesFile('globalTeardown'),
  'types.ts': typesFile('globalSetup'),
  // node16 is the strict one: a CommonJS file may not import an ES module's declarations there. The declarations
  // are checked too (no skipLibCheck): what they import (express's types) must come with the package.
  'tsconfig.json': JSON.stringify({
    compilerOptions: {
      module: 'node16',
      strict: true,
      exactOptionalPropertyTypes: true,
      noEmit: true,
      skipLibCheck: false,
      // TypeScript's own lib files need no checking here (most of the time of a check of every declaration).
      skipDefaultLibCheck: true,
      types: ['node'],
      typeRoots: [path.join(ROOT, 'node_modules/@types')],
    },
    files: ['types.mts', 'types.cts'],
  }),
  // The oldest resolution (module commonjs: node10) reads no `exports`: the jest entries come through typesVersions.
  'tsconfig.node10.json': JSON.stringify({
    compilerOptions: {
      module: 'commonjs',
      moduleResolution: 'node10',
      ignoreDeprecations: '6.0',
      esModuleInterop: true,
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: ['node'],
      typeRoots: [path.join(ROOT, 'node_modules/@types')],
    },
    files: ['types.ts'],
  }),
};

/** The files docs/ci.md shows for jest, verbatim, found by the file name their first line gives. */
function jestFilesOfTheDocs(): Record<string, string> {
  const shownIn = (heading: string) => {
    const blocks = fences(section('docs/ci.md', heading)).filter((f) => f.lang === 'js');
    return (firstLine: string) => {
      const block = blocks.find((f) => f.body.startsWith(firstLine));
      if (!block) throw new Error(`docs/ci.md shows no block starting '${firstLine}' under '${heading}'`);
      return `${block.body}\n`;
    };
  };
  const shown = shownIn('One emulator for the whole run');
  const baselines = shownIn('A known state before each test: baselines');
  const parallel = shownIn('Parallel workers');
  return {
    'jest.config.js': shown('// jest.config.js (CommonJS'),
    'accessPackages.test.js': shown('// accessPackages.test.js'),
    'catalogRules.test.js': baselines('// catalogRules.test.js'),
    'jest.emulator-setup.cjs': shown('// jest.emulator-setup.cjs'),
    'graphTenant.js': parallel('// graphTenant.js'),
    // The page's test file, three times over: three files for two workers, each in its worker's tenant.
    ...Object.fromEntries(['catalog', 'catalog2', 'catalog3'].map((name) => [`${name}.spec.js`, parallel('// catalog.spec.js')])),
  };
}

// Most tests here run a compiler or a jest of their own: a few seconds alone, a minute or more on a machine busy
// with other work (the suite's 30 s timed one out there). A time limit on a hang, not a measure of speed.
jest.setTimeout(150_000);

describe('the packed package, installed into another project', () => {
  const work = tempDir('emulator-package-');
  const project = path.join(work, 'project');
  let shipped: string[] = [];
  let lifecycle = { ran: [] as string[], build: '', distLeft: [] as unknown[], listed: [] as string[] };

  beforeAll(async () => {
    const source = path.join(work, 'source');
    for (const entry of readdirSync(ROOT)) {
      if (!NOT_COPIED.has(entry)) cpSync(path.join(ROOT, entry), path.join(source, entry), { recursive: true });
    }
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(source, 'node_modules'));
    // What an older build left: npm pack's prepack empties dist/ before prepare builds it again.
    for (const stale of ['dist/server/removedModule.js', 'dist/ui/assets/old.css']) {
      mkdirSync(path.dirname(path.join(source, stale)), { recursive: true });
      writeFileSync(path.join(source, stale), '');
    }
    // npm pack runs prepack, then prepare, each through the script shell: one that notes each script it is given
    // (and whether the older build's files are still there), then runs it; the build's own command it only notes,
    // its output being made (or taken from the tree) below.
    const scripts = (JSON.parse(readFileSync(path.join(source, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    const shell = path.join(work, 'script-shell.sh');
    writeFileSync(
      shell,
      `#!/bin/sh
test -e dist/server/removedModule.js -o -e dist/ui/assets/old.css && older=older || older=gone
printf '%s: %s\\n' "$older" "$2" >> "$LIFECYCLE_LOG"
test "$2" = "$BUILD_SCRIPT" && exit 0
exec /bin/sh "$@"
`,
    );
    chmodSync(shell, 0o755);
    const lifecycleLog = path.join(work, 'lifecycle.log');
    const dryRun = await succeed('npm', ['pack', '--dry-run', '--json'], source, {
      npm_config_script_shell: shell,
      LIFECYCLE_LOG: lifecycleLog,
      BUILD_SCRIPT: scripts['build']!,
    });
    lifecycle = {
      ran: readFileSync(lifecycleLog, 'utf8').split('\n').filter(Boolean),
      build: scripts['build']!,
      distLeft: existsSync(path.join(source, 'dist')) ? readdirSync(path.join(source, 'dist'), { recursive: true }) : [],
      listed: (JSON.parse(dryRun) as [{ files: { path: string }[] }])[0].files.map((file) => file.path),
    };
    // The build: the tree's when fresh, else made here.
    if (staleBuild() === undefined) cpSync(path.join(ROOT, 'dist'), path.join(source, 'dist'), { recursive: true });
    else await succeed('npm', ['run', 'build'], source);
    const packed = JSON.parse(await succeed('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], source)) as [
      { filename: string; files: { path: string }[] },
    ];
    shipped = packed[0].files.map((file) => file.path);
    mkdirSync(project);
    writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'scratch', version: '1.0.0', private: true }));
    for (const [file, text] of Object.entries({ ...SCRATCH_FILES, ...jestFilesOfTheDocs() })) writeFileSync(path.join(project, file), text);
    await succeed('npm', ['install', path.join(work, packed[0].filename), '--prefer-offline', '--no-audit', '--no-fund'], project);
  }, 180_000);

  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
  });

  it("npm pack (a git install packs too) runs prepack's clean first, then prepare's npm run build", () => {
    expect(lifecycle.ran).toEqual(['older: node scripts/build.js clean', 'gone: npm run build', `gone: ${lifecycle.build}`]);
    // The build's command was noted, not run: prepack left nothing in dist/, and nothing of it is listed.
    expect(lifecycle.distLeft).toEqual([]);
    expect(lifecycle.listed.filter((file) => file.startsWith('dist/'))).toEqual([]);
    expect(lifecycle.listed).toEqual(expect.arrayContaining(['package.json', 'README.md', 'faults/faults.json']));
  });

  it('npx runs its command line', async () => {
    expect(await succeed('npx', [NAME, '--version'], project)).toBe(`${PACKAGE_VERSION}\n`);
  });

  it.each([
    ['an ES module imports the library (the ES module build)', 'esm.mjs', 'from ESM', 'index.js'],
    ['a CommonJS script requires the library (the CommonJS build)', 'cjs.cjs', 'from CommonJS', 'index.cjs'],
  ])('%s', async (_name, script, displayName, entry) => {
    expect(JSON.parse(await succeed(process.execPath, [script], project))).toEqual({
      status: 201,
      displayName,
      stored: 26,
      faulted: [503, '2'],
      entry: expect.stringMatching(new RegExp(`/node_modules/${NAME}/dist/server/${entry.replace('.', '\\.')}$`)),
    });
  });

  it('serves the admin page it ships (dist/ui), with no source of it in the project', async () => {
    expect(JSON.parse(await succeed(process.execPath, ['page.mjs'], project))).toEqual({
      page: 200,
      type: 'text/html; charset=utf-8',
      html: true,
      script: 200,
      bytes: expect.any(Number),
    });
  });

  it('ships every file its README and docs link to', () => {
    const docs = shipped.filter((file) => file === 'README.md' || /^docs\/.*\.md$/.test(file));
    const links = docs.flatMap((doc) =>
      [...readFileSync(path.join(project, 'node_modules', NAME, doc), 'utf8').matchAll(/\]\(((?!https?:|#|mailto:)[^)#\s]+)(?:#[^)]*)?\)/g)].map((link) =>
        path.posix.normalize(path.posix.join(path.posix.dirname(doc), link[1]!)),
      ),
    );
    expect(links).toEqual(expect.arrayContaining(['bench/README.md', 'faults/faults.json']));
    expect(links.filter((link) => !shipped.includes(link) && !shipped.some((file) => file.startsWith(`${link.replace(/\/$/, '')}/`)))).toEqual([]);
  });

  it('ships the build of its sources only, each source map with its source inside', async () => {
    expect(shipped).toEqual(expect.arrayContaining(['dist/server/index.js', 'dist/server/index.cjs', 'dist/ui/index.html']));
    expect(shipped.filter((file) => /removedModule|old\.css/.test(file))).toEqual([]);
    const map = JSON.parse(readFileSync(path.join(project, 'node_modules', NAME, 'dist/server/index.js.map'), 'utf8')) as { sourcesContent?: string[] };
    expect(map.sourcesContent?.[0]).toContain('export async function startEmulator');
    // The CommonJS build's too, linked from the bundle, with the library's own sources among the bundled ones.
    const cjs = path.join(project, 'node_modules', NAME, 'dist/server/index.cjs');
    expect(readFileSync(cjs, 'utf8').trimEnd().endsWith('//# sourceMappingURL=index.cjs.map')).toBe(true);
    const cjsMap = JSON.parse(readFileSync(`${cjs}.map`, 'utf8')) as { sources: string[]; sourcesContent: string[] };
    const index = cjsMap.sources.findIndex((source) => source.endsWith('server/index.ts'));
    expect(cjsMap.sourcesContent[index]).toContain('export async function startEmulator');
    expect(shipped).toEqual(expect.arrayContaining(['dist/server/jest/globalSetup.cjs.map', 'dist/server/jest/index.cjs.map']));
  });

  it('the packed package holds the build, the schemas, the README and the docs it links, not the sources or tests', () => {
    const files = shipped;
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { exports: unknown; main: string; types: string };
    // Every file the exports map (its values, not its keys), main and types name: both module systems, with their declarations.
    const targets = JSON.stringify([pkg.exports, pkg.main, pkg.types])
      .match(/"\.\/[^"]+"(?!:)/g)!
      .map((target) => target.slice(3, -1));
    expect(targets).toEqual(expect.arrayContaining(['dist/server/index.cjs', 'dist/server/index.d.cts', 'dist/server/jest/globalSetup.cjs']));
    expect(files).toEqual(
      expect.arrayContaining([
        ...targets,
        'package.json',
        'README.md',
        'dist/server/cli.js',
        'dist/server/cli.cjs',
        'dist/server/cli.cjs.cache',
        'dist/server/cli.entry.cjs',
        'dist/server/bin/healthcheck.js',
        'fixtures/accessPackage.schema.json',
        'docs/graph-fidelity.md',
      ]),
    );
    expect(
      files.filter((f) => f.startsWith('server/') || f.startsWith('tests/') || f.startsWith('scripts/') || (/\.[cm]?ts$/.test(f) && !/\.d\.[cm]?ts$/.test(f))),
    ).toEqual([]);
  });
  it('TypeScript resolves the jest entries without exports (node10), through typesVersions', async () => {
    await succeed(process.execPath, [TSC, '-p', 'tsconfig.node10.json'], project);
  });

  it('TypeScript finds the declarations for import (.d.ts) and for require (.d.cts)', async () => {
    const files = (await succeed(process.execPath, [TSC, '-p', 'tsconfig.json', '--listFiles'], project)).split('\n');
    const ours = files.filter((f) => f.includes(`/node_modules/${NAME}/`)).map((f) => f.slice(f.indexOf('/dist/') + 1));
    expect(ours).toEqual(
      expect.arrayContaining(['dist/server/index.d.ts', 'dist/server/index.d.cts', 'dist/server/jest/index.d.ts', 'dist/server/jest/index.d.cts']),
    );
  });

  // One run for both: the same configuration, that of docs/ci.md, and each jest run starts its own emulator.
  it("jest's default configuration runs CommonJS tests against the globalSetup emulator (a baseline restored before each test among them), parallel workers each in its own tenant as docs/ci.md shows see only their own data, and globalTeardown stops it", async () => {
    const result = await run(process.execPath, [JEST, '--ci', '--maxWorkers=2', '\\.(test|spec)\\.js$'], project);
    // jest reports on stderr; it exits by itself only if globalTeardown closed the server.
    expect({ code: result.code, stderr: result.code === 0 ? '' : result.stderr }).toEqual({ code: 0, stderr: '' });
    // 4 tests of the .test.js files, 3 of the page's .spec.js files.
    expect(result.stderr).toMatch(/Test Suites:\s+6 passed, 6 total\nTests:\s+7 passed, 7 total/);
  });

  it('jest in ES module mode (--experimental-vm-modules) imports the library, with the setup file of docs/ci.md as globalSetup', async () => {
    const config = { globalSetup: './jest.emulator-setup.cjs', globalTeardown: `${NAME}/jest/globalTeardown` };
    const result = await run(process.execPath, [JEST, '--ci', '--config', JSON.stringify(config), '\\.test\\.mjs$'], project, {
      NODE_OPTIONS: '--experimental-vm-modules --disable-warning=ExperimentalWarning',
    });
    expect({ code: result.code, stderr: result.code === 0 ? '' : result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(result.stderr).toMatch(/Tests:\s+2 passed, 2 total/);
  });
});
