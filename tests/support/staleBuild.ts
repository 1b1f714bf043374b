// Whether dist/ is the build of the sources as they are: the build test rebuilds it when not, the package test packs
// it as it is when it is (and builds in its copy of the tree when not).
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './childProcess.js';

/** What `npm run build` reads: the sources, the build scripts and settings, the fixtures, the installed packages. */
const BUILD_INPUTS = [
  'server',
  'ui',
  'fixtures',
  'scripts/build.js',
  'scripts/importMetaUrl.js',
  'tsconfig.json',
  'tsconfig.build.json',
  'package.json',
  'node_modules/.package-lock.json',
];

/** The modification times of `entry` (a file, or every file under a folder); none when it does not exist. */
function modifiedTimes(entry: string): number[] {
  const full = path.join(ROOT, entry);
  let stat: ReturnType<typeof statSync>;
  try {
    stat = statSync(full);
  } catch {
    return [];
  }
  if (!stat.isDirectory()) return [stat.mtimeMs];
  return readdirSync(full, { recursive: true, withFileTypes: true })
    .filter((item) => item.isFile())
    .map((item) => statSync(path.join(item.parentPath, item.name)).mtimeMs);
}

/**
 * Why dist/ may not be the build of the sources as they are, or undefined when it is: every file of dist/ written
 * after every input changed (a file an earlier build left, which no build rewrites, means a rebuild every time). The tests' set-up (scripts/freshBuild.cjs) rebuilds only the command line's bundle and
 * the admin page, so a source changed since the last full build leaves the library's modules older than it.
 */
export function staleBuild(): string | undefined {
  const outputs = modifiedTimes('dist');
  if (outputs.length === 0) return 'dist/ is missing';
  const newestInput = Math.max(...BUILD_INPUTS.flatMap(modifiedTimes));
  const oldestOutput = Math.min(...outputs);
  return newestInput < oldestOutput ? undefined : `an input changed at ${new Date(newestInput).toISOString()}, after dist/ was written`;
}
