// The built command line and admin page brought up to date with their sources: when server/ (or the build
// script) changed since the command line's bundle was built, or it is missing, it is rebuilt (a second or two),
// saying so on stderr; the admin page (dist/ui, from ui/ and fixtures/sets.json) likewise. `npm start` runs this
// before the emulator, so a stale build never runs silently; the tests' setup (tests/support/globalSetup.ts) before
// the tests, whose processes start the built command line. Run on its own: `node scripts/freshBuild.cjs`.
// `npm run build` rebuilds everything.
// CommonJS, as `npm start`'s launcher (start.cjs) is: the check is synchronous, and only a rebuild loads the build
// script, an ES module.
const { readdirSync, statSync } = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
/** The command line's entry as `npm start` loads it (scripts/build.js writes it beside dist/server/cli.js). */
const CLI_START = path.join(root, 'dist/server/cli.entry.cjs');
const CLI_ENTRY = path.join(root, 'dist/server/cli.js');
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

/**
 * Rebuilt with `rebuild` (one of build.js's steps, given its module) when built before a file of `of` changed
 * (`builtMs`), or not built (undefined); `what` names it in the line that says so.
 */
async function rebuildWhenStale(what, builtMs, of, rebuild) {
  const changed = builtMs === undefined ? undefined : changedSince(builtMs, of);
  if (builtMs !== undefined && changed === undefined) return;
  process.stderr.write(
    builtMs === undefined
      ? `${what} is not built yet: building it (npm run build builds everything)\n`
      : `${changed} changed since ${what} was built: rebuilding it (npm run build rebuilds everything)\n`,
  );
  try {
    await rebuild(await import('./build.js'));
  } catch (err) {
    throw new Error(`cannot build ${what} (${err.message}); run npm ci, then npm run build`);
  }
}

/** The command line: rebuilt when a source is newer than its bundle, or when it is not built. */
async function freshCli() {
  const builtMs = modifiedMs(CLI_ENTRY) === undefined || modifiedMs(CLI_START) === undefined ? undefined : modifiedMs(bundle);
  await rebuildWhenStale('the command line', builtMs, sources, (build) => build.bundleCli());
}

/** The admin page: rebuilt when ui/ (or the build script, or the fixture sets it lists) is newer than its script. */
async function freshPage() {
  const pageSources = [path.join(root, 'ui'), path.join(root, 'scripts/build.js'), path.join(root, 'fixtures/sets.json')];
  const builtMs = modifiedMs(path.join(root, 'dist/ui/assets/app.js'));
  if (builtMs === undefined && sourceFiles(pageSources).length === 0) return; // an installed package: built already
  await rebuildWhenStale('the admin page', builtMs, pageSources, (build) => build.bundlePage());
}

/** Both, as `npm start` and the tests need them; when a rebuild fails, the reason on stderr and exit 1. */
async function freshBuildOrExit() {
  try {
    await freshCli();
    await freshPage();
  } catch (err) {
    process.stderr.write(`error: ${err.message}\n`);
    process.exit(1);
  }
}

module.exports = { CLI_START, freshBuildOrExit };

if (require.main === module) freshBuildOrExit();
