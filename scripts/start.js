// `npm start`: the built command line, dist/server/cli.js, in this process (the script `exec`s node, so signals
// reach the emulator). When server/ (or the build script) changed since its bundle was built, or it is missing, it
// is rebuilt first (a second or two), saying so on stderr: a stale build never runs silently. The admin page
// (dist/ui, from ui/ and fixtures/sets.json) likewise. `npm run dev` runs the sources.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const entry = path.join(root, 'dist/server/cli.js');
const bundle = path.join(root, 'dist/server/cli.cjs');
/** What the bundle is made of: the sources, and how they are bundled. */
const sources = [path.join(root, 'server'), path.join(root, 'scripts/build.js'), path.join(root, 'scripts/importMetaUrl.js')];

function modifiedMs(file) {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

/** The files of a source folder and the given single files. */
function sourceFiles([dir, ...files]) {
  try {
    const entries = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((item) => item.isFile());
    return [...entries.map((item) => path.join(item.parentPath ?? item.path, item.name)), ...files];
  } catch {
    return []; // no sources next to the build: nothing it could be older than
  }
}

/** The first source file changed after `since`, if any. */
function changedSince(since, of = sources) {
  const file = sourceFiles(of).find((f) => (modifiedMs(f) ?? 0) > since);
  return file === undefined ? undefined : path.relative(root, file);
}

/** The admin page: rebuilt when ui/ (or the build script, or the fixture sets it lists) is newer than its script. */
async function freshPage() {
  const page = path.join(root, 'dist/ui/assets/app.js');
  const pageSources = [path.join(root, 'ui'), path.join(root, 'scripts/build.js'), path.join(root, 'fixtures/sets.json')];
  const builtAt = modifiedMs(page);
  if (builtAt === undefined && sourceFiles(pageSources).length === 0) return; // an installed package: built already
  const stale = builtAt === undefined ? undefined : changedSince(builtAt, pageSources);
  if (builtAt !== undefined && stale === undefined) return;
  process.stderr.write(
    builtAt === undefined
      ? 'the admin page is not built yet: building it (npm run build builds everything)\n'
      : `${stale} changed since the admin page was built: rebuilding it (npm run build rebuilds everything)\n`,
  );
  const { bundlePage } = await import('./build.js');
  await bundlePage();
}

const builtMs = modifiedMs(entry) === undefined ? undefined : modifiedMs(bundle);
const changed = builtMs === undefined ? undefined : changedSince(builtMs);
if (builtMs === undefined || changed !== undefined) {
  process.stderr.write(
    builtMs === undefined
      ? 'the command line is not built yet: building it (npm run build builds everything)\n'
      : `${changed} changed since the command line was built: rebuilding it (npm run build rebuilds everything)\n`,
  );
  try {
    const { bundleCli } = await import('./build.js');
    await bundleCli();
  } catch (err) {
    process.stderr.write(`error: cannot build the command line (${err.message}); run npm ci, then npm run build\n`);
    process.exit(1);
  }
}
try {
  await freshPage();
} catch (err) {
  process.stderr.write(`error: cannot build the admin page (${err.message}); run npm ci, then npm run build\n`);
  process.exit(1);
}
await import(pathToFileURL(entry).href);
