// `npm start`: the built command line, dist/server/cli.js, in this process (the script `exec`s node, so signals
// reach the emulator). When server/ changed since that file was built, or it is missing, it is rebuilt first
// (about a second), saying so on stderr: a stale build never runs silently. `npm run dev` runs the sources.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bundle = path.join(root, 'dist/server/cli.js');
const sources = path.join(root, 'server');

function modifiedMs(file) {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

/** The first file under server/ changed after `since`, if any. */
function changedSince(since) {
  let entries;
  try {
    entries = readdirSync(sources, { recursive: true, withFileTypes: true });
  } catch {
    return undefined; // no sources next to the build: nothing it could be older than
  }
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath ?? entry.path, entry.name);
    if ((modifiedMs(file) ?? 0) > since) return path.relative(root, file);
  }
  return undefined;
}

const builtMs = modifiedMs(bundle);
const changed = builtMs === undefined ? undefined : changedSince(builtMs);
if (builtMs === undefined || changed !== undefined) {
  process.stderr.write(
    builtMs === undefined
      ? 'dist/server/cli.js is missing: building it (npm run build builds everything)\n'
      : `${changed} changed since dist/server/cli.js was built: rebuilding it (npm run build rebuilds everything)\n`,
  );
  try {
    const { bundleCli } = await import('./build.js');
    await bundleCli();
  } catch (err) {
    process.stderr.write(`error: cannot build dist/server/cli.js (${err.message}); run npm ci, then npm run build\n`);
    process.exit(1);
  }
}
await import(pathToFileURL(bundle).href);
