// The bundles, the code cache and the CommonJS declarations, after `tsc -p tsconfig.build.json` has compiled server/
// into dist/server (the ES module library with its .d.ts). `npm run build` runs both; `npm start` calls bundleCli()
// when server/ changed since the command line was built.
//
// - dist/server/cli.cjs: the command line in one file: resolving and loading some sixty modules one by one was a
//   large share of the start-up time. pino-pretty and the certificate generator stay out, required when needed.
//   dist/server/cli.js (server/bin/cliEntry.ts) runs it with V8's code cache, dist/server/cli.cjs.cache, which the
//   build writes by starting the command line once and asking its health; dist/server/cli.entry.cjs is the same
//   entry as CommonJS, for `npm start` (scripts/start.cjs).
// - dist/server/index.cjs and dist/server/jest/*.cjs: the library and the jest helpers for CommonJS consumers (jest's
//   default configuration among them), with the ES-module-only packages (lowdb, json-schema-faker) inside:
//   jest's CommonJS runtime can neither require them nor import() them.
// - dist/server/**/*.d.cts: the declarations again, for `require`: TypeScript reads a .d.ts of this package as an
//   ES module, which a CommonJS file may not require.
// - dist/ui: the admin page (ui/), served by server/admin/page.ts: its script and styles bundled for current
//   browsers, the HTML and the icon copied. Nothing is fetched at run time: the page works offline.
//   `node scripts/build.js page` builds it alone (npm run dev).
// `node scripts/build.js clean` empties dist/ (npm pack's prepack, before prepare builds): the build writes over
// its files and never removes one, so a module deleted from server/ would otherwise still ship.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = path.join(ROOT, 'dist/server');
const PAGE_OUT = path.join(ROOT, 'dist/ui');
const PAGE_SOURCES = path.join(ROOT, 'ui');
const CLI_ENTRY = path.join(OUT, 'cli.js');
const CLI_BUNDLE = path.join(OUT, 'cli.cjs');
const PACKAGE_NAME = 'graph-accesspackages-emulator';

const common = { bundle: true, platform: 'node', target: 'node20', logLevel: 'warning', absWorkingDir: ROOT, write: false };
/** CommonJS output of ES module sources: import() of a package becomes require() (jest's CommonJS runtime has no import()), import.meta.url the file's URL. */
const commonJs = {
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  supported: { 'dynamic-import': false },
  inject: ['scripts/importMetaUrl.js'],
  define: { 'import.meta.url': 'importMetaUrl' },
};

/**
 * Written next to their final place and renamed over it: a process starting from dist/ meanwhile (a test,
 * a second `npm start`) reads the old file or the new one, never half of one.
 */
async function writeAtomically(outputFiles) {
  await Promise.all(
    outputFiles.map(async ({ path: file, contents }) => {
      const temporary = `${file}.${process.pid}.tmp`;
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(temporary, contents, { mode: file === CLI_ENTRY ? 0o755 : 0o644 });
      await rename(temporary, file);
    }),
  );
}

// Run in a child with the settings of a plain start: the command line on a free port, data in memory, then one
// health request, so that the cache holds what a start to healthy compiles. V8 ties a cache to its flags, so
// the child gets no NODE_OPTIONS.
const WRITE_CODE_CACHE = `
import { rename, writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
const [, entry, cacheFile] = process.argv;
process.argv = [process.execPath, entry, '--port', '0', '--host', '127.0.0.1', '--data', ':memory:', '--fixtures', 'empty', '--log-level', 'silent'];
const listening = new Promise((resolve) => {
  process.stdout.write = (chunk) => {
    const match = /listening on (\\S+)\\/beta/.exec(String(chunk));
    if (match) resolve(match[1]);
    return true;
  };
});
const { codeCache } = await import(pathToFileURL(entry).href);
await (await fetch(\`\${await listening}/_emulator/health\`)).arrayBuffer();
await writeFile(\`\${cacheFile}.\${process.pid}.tmp\`, codeCache());
await rename(\`\${cacheFile}.\${process.pid}.tmp\`, cacheFile);
process.exit(0);
`;

async function writeCodeCache() {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  try {
    await promisify(execFile)(process.execPath, ['--input-type=module', '-e', WRITE_CODE_CACHE, CLI_ENTRY, `${CLI_BUNDLE}.cache`], { env, timeout: 30_000 });
  } catch (err) {
    // A command line that cannot start here is broken: the build says so rather than ship it.
    throw new Error(`the built command line did not start to write its code cache: ${String(err.stderr || err.message).trim()}`);
  }
}

/**
 * The bundle as ASCII, which the entry reads as Latin-1: a one-byte string made by a copy, where reading UTF-8
 * decodes (about 4 ms of a start for 1.8 MB). esbuild writes the code as ASCII already (its default charset
 * escapes strings, template literals and regular expressions); what it leaves is the comments it keeps, whose
 * characters become \u escapes here, inert in a comment.
 */
function asciiBundle(text) {
  return text.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export async function bundleCli() {
  const { build } = await import('esbuild');
  const entryPoints = { cli: 'server/bin/cliEntry.ts' };
  const [program, entry, commonJsEntry] = await Promise.all([
    build({ ...common, ...commonJs, entryPoints: { cli: 'server/bin/cli.ts' }, outdir: OUT, external: ['pino-pretty', '@peculiar/x509'] }),
    build({ ...common, entryPoints, format: 'esm', outdir: OUT }),
    // The same entry for `npm start` (scripts/start.cjs): CommonJS from the first file on, Node's ES module loader
    // never starts (about 5 ms of a start).
    build({ ...common, ...commonJs, entryPoints, outExtension: { '.js': '.entry.cjs' }, outdir: OUT }),
  ]);
  // The first line names the build: the entry uses a cache only if it starts with the same line.
  const text = asciiBundle(program.outputFiles[0].text.replace(/^#!.*\n/, ''));
  const id = createHash('sha256').update(text).digest('hex').slice(0, 32);
  await writeAtomically([{ path: CLI_BUNDLE, contents: `// build ${id}\n${text}` }, ...entry.outputFiles, ...commonJsEntry.outputFiles]);
  await writeCodeCache();
}

export async function bundleCommonJs() {
  const { build } = await import('esbuild');
  const result = await build({
    ...common,
    ...commonJs,
    entryPoints: {
      index: 'server/index.ts',
      'jest/index': 'server/jest/index.ts',
      'jest/globalSetup': 'server/jest/globalSetup.ts',
      'jest/globalTeardown': 'server/jest/globalTeardown.ts',
    },
    outdir: OUT,
    // The jest helpers require the library by the package's name: one library instance, dist/server/index.cjs.
    external: ['pino-pretty', '@peculiar/x509', PACKAGE_NAME],
    // A CommonJS consumer's stack traces lead to the TypeScript sources too, as the ES modules' maps do.
    sourcemap: 'linked',
  });
  await writeAtomically(result.outputFiles);
}

/** dist/server/**\/*.d.ts as .d.cts, their relative imports pointing at .cjs (whose declarations are the .d.cts). */
export async function declareCommonJs() {
  const files = (await readdir(OUT, { recursive: true })).filter((file) => file.endsWith('.d.ts'));
  await Promise.all(
    files.map(async (file) => {
      const text = await readFile(path.join(OUT, file), 'utf8');
      const cjs = text.replace(/((?:from|import)\s*\(?\s*['"]\.{1,2}\/[^'"]*?)\.js(['"])/g, '$1.cjs$2');
      await writeAtomically([{ path: path.join(OUT, file.replace(/\.d\.ts$/, '.d.cts')), contents: cjs }]);
    }),
  );
}

export async function bundlePage() {
  const { build } = await import('esbuild');
  const result = await build({
    bundle: true,
    absWorkingDir: ROOT,
    write: false,
    logLevel: 'warning',
    entryPoints: [
      { in: 'ui/main.ts', out: 'app' },
      { in: 'ui/styles.css', out: 'app' },
    ],
    outdir: path.join(PAGE_OUT, 'assets'),
    format: 'esm',
    // Browsers with <dialog>, :has() and :focus-visible.
    target: ['chrome120', 'edge120', 'firefox121', 'safari17'],
    minify: true,
    sourcemap: 'linked',
  });
  const copied = await Promise.all(
    [
      ['index.html', 'index.html'],
      ['icon.svg', 'assets/icon.svg'],
    ].map(async ([from, to]) => ({ path: path.join(PAGE_OUT, to), contents: await readFile(path.join(PAGE_SOURCES, from)) })),
  );
  await writeAtomically([...result.outputFiles, ...copied]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const only = process.argv[2];
  if (only === 'page') await bundlePage();
  // Before `npm pack` builds (prepack runs before prepare): a module whose source is gone must not ship.
  else if (only === 'clean') await Promise.all([OUT, PAGE_OUT].map((dir) => rm(dir, { recursive: true, force: true })));
  else if (only !== undefined) throw new Error(`unknown build part '${only}': 'page', 'clean', or nothing for everything`);
  else await Promise.all([bundleCli(), bundleCommonJs(), declareCommonJs(), bundlePage()]);
}
