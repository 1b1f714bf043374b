#!/usr/bin/env node
// The command line as it is installed: the build puts this file at dist/server/cli.js (the package bin, the Docker
// CMD), and again as CommonJS at dist/server/cli.entry.cjs (what `npm start` runs). It runs dist/server/cli.cjs,
// the command line bundled into one CommonJS file, compiled with the V8 code cache the build wrote beside it
// (cli.cjs.cache) when that cache was made from this very bundle; V8 itself refuses a cache from another Node
// version or other V8 flags, and then the bundle compiles as it would under require(). Compiling the bundle was
// about a quarter of the CPU of a start (bench/README.md).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import { noteEarlySignals } from './earlySignals.js';

// First: a signal while the bundle loads stops the start cleanly (exit 0), as one a moment later does.
noteEarlySignals();

const bundle = fileURLToPath(new URL('./cli.cjs', import.meta.url));
// The build writes the bundle as ASCII (scripts/build.js), so Latin-1 reads it as it is, by a copy.
const source = readFileSync(bundle, 'latin1');
// The bundle's first line names its build (a hash of its content); the cache starts with the same line.
const header = source.slice(0, source.indexOf('\n') + 1);

function cachedData(): Buffer | undefined {
  try {
    const cache = readFileSync(`${bundle}.cache`);
    return header !== '' && cache.subarray(0, header.length).toString() === header ? cache.subarray(header.length) : undefined;
  } catch {
    return undefined;
  }
}

// What require() would do with the file: wrap it as a function of the CommonJS module variables, and call it.
const cache = cachedData();
const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: bundle, cachedData: cache });
/** Whether this start compiled the bundle from its code cache (a test checks that the build's cache is taken). */
export const fromCodeCache = cache !== undefined && !script.cachedDataRejected;
const commonJsModule = { exports: {} };
(script.runInThisContext() as (...args: unknown[]) => void).call(
  commonJsModule.exports,
  commonJsModule.exports,
  createRequire(bundle),
  commonJsModule,
  bundle,
  path.dirname(bundle),
);

/** For the build: the code cache of the bundle with every function compiled so far, headed by the bundle's build line. */
export function codeCache(): Buffer {
  return Buffer.concat([Buffer.from(header), script.createCachedData()]);
}
