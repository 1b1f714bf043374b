// The bundles and the CommonJS declarations, after `tsc -p tsconfig.build.json` has compiled server/ into dist/server
// (the ES module library with its .d.ts). `npm run build` runs both; `npm start` calls bundleCli() when server/
// changed since dist/server/cli.js was built.
//
// - dist/server/cli.js: the command line in one ES module file: resolving and loading some sixty modules one by
//   one was a large share of the start-up time. What only some starts need (a generated fixture set and
//   json-schema-faker, a records file, pino-pretty, the certificate generator) stays out of it, loaded on demand.
// - dist/server/index.cjs and dist/server/jest/*.cjs: the library and the jest helpers for CommonJS consumers (jest's
//   default configuration among them), with the ES-module-only packages (lowdb, json-schema-faker) inside:
//   jest's CommonJS runtime can neither require them nor import() them.
// - dist/server/**/*.d.cts: the declarations again, for `require`: TypeScript reads a .d.ts of this package as an
//   ES module, which a CommonJS file may not require.
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CLI_BUNDLE = path.join(ROOT, 'dist/server/cli.js');
const OUT = path.join(ROOT, 'dist/server');
const PACKAGE_NAME = 'graph-accesspackages-emulator';

const common = { bundle: true, platform: 'node', target: 'node20', logLevel: 'warning', absWorkingDir: ROOT, write: false };

/**
 * Written next to their final place and renamed over it: a process starting from dist/ meanwhile (a test,
 * a second `npm start`) reads the old file or the new one, never half of one.
 */
async function writeAtomically(outputFiles) {
  await Promise.all(
    outputFiles.map(async ({ path: file, contents }) => {
      const temporary = `${file}.${process.pid}.tmp`;
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(temporary, contents, { mode: file.endsWith('cli.js') ? 0o755 : 0o644 });
      await rename(temporary, file);
    }),
  );
}

export async function bundleCli() {
  const { build } = await import('esbuild');
  const result = await build({
    ...common,
    entryPoints: ['server/bin/cli.ts'],
    format: 'esm',
    outdir: OUT,
    // Dynamic imports (the fixture generator, the records file loader) become chunks loaded when used.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    external: ['pino-pretty', 'selfsigned', 'json-schema-faker'],
    banner: { js: "import { createRequire as createBundleRequire } from 'node:module'; const require = createBundleRequire(import.meta.url);" },
  });
  await writeAtomically(result.outputFiles);
  // Chunks of earlier builds (their names carry a hash of their content) would otherwise pile up in the package.
  const chunks = path.join(OUT, 'chunks');
  const current = new Set(result.outputFiles.map((file) => file.path));
  const stale = (await readdir(chunks)).map((name) => path.join(chunks, name)).filter((file) => !current.has(file));
  await Promise.all(stale.map((file) => rm(file, { force: true })));
}

export async function bundleCommonJs() {
  const { build } = await import('esbuild');
  const result = await build({
    ...common,
    entryPoints: {
      index: 'server/index.ts',
      'jest/index': 'server/jest/index.ts',
      'jest/globalSetup': 'server/jest/globalSetup.ts',
      'jest/globalTeardown': 'server/jest/globalTeardown.ts',
    },
    format: 'cjs',
    outdir: OUT,
    outExtension: { '.js': '.cjs' },
    // The jest helpers require the library by the package's name: one library instance, dist/server/index.cjs.
    external: ['pino-pretty', 'selfsigned', PACKAGE_NAME],
    // import() of a package becomes require(): jest's CommonJS runtime has no import().
    supported: { 'dynamic-import': false },
    define: { 'import.meta.url': '__bundleFileUrl' },
    banner: { js: "const __bundleFileUrl = require('node:url').pathToFileURL(__filename).href;" },
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

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await Promise.all([bundleCli(), bundleCommonJs(), declareCommonJs()]);
}
