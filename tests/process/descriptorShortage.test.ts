// The command line when its process runs short of file descriptors for a moment (`ulimit -n`, a burst of
// connections). A preload makes the shortage happen where it matters, the same way on every run: Node's module
// loader and file reads fail with EMFILE, as they do when every descriptor is in use.
import { describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { CLI_MAIN, LISTENING, spawnProcess, tempDir } from '../support/childProcess.js';
import { PACKAGES } from '../support/graph.js';

function emfile(what: string): string {
  return `Object.assign(new Error('EMFILE: too many open files, open ' + JSON.stringify(${what})), { code: 'EMFILE', errno: -24, syscall: 'open' })`;
}

/** Starts the built command line with `preload` (CommonJS source) run first; resolves with its base URL. */
async function startWith(preload: string) {
  const dir = tempDir();
  const hook = path.join(dir, 'shortage.cjs');
  writeFileSync(hook, preload);
  const proc = spawnProcess(process.execPath, ['--require', hook, ...CLI_MAIN], { PORT: '0', DATA_FILE: path.join(dir, 'db.json'), FIXTURES: 'empty' });
  const [, url] = await proc.waitFor(LISTENING);
  return { proc, url: url! };
}

describe('a process short of file descriptors', () => {
  it("writes though Node's module loader could open no file: the schema checker comes with the command line", async () => {
    // Loaded from node_modules on the first write, a load that met the shortage failed for good (Node keeps the
    // package.json it could not read as missing): every later write answered 500 until a restart.
    const { proc, url } = await startWith(`
      const Module = require('node:module');
      const load = Module._load;
      Module._load = function (request, ...rest) {
        if (/^ajv(-formats|-errors)?$/.test(request)) throw ${emfile('request')};
        return load.call(this, request, ...rest);
      };
    `);
    try {
      for (const displayName of ['first write', 'second write']) {
        const res = await fetch(`${url}${PACKAGES}`, {
          method: 'POST',
          headers: { Authorization: 'Bearer t', 'Content-Type': 'application/json' },
          body: JSON.stringify({ displayName }),
        });
        expect([res.status, ((await res.json()) as { displayName?: string }).displayName]).toEqual([201, displayName]);
      }
      // A body the schema refuses is refused by it, not by a failed load.
      const refused = await fetch(`${url}${PACKAGES}`, {
        method: 'POST',
        headers: { Authorization: 'Bearer t', 'Content-Type': 'application/json' },
        body: '{"isHidden":"Boolean"}',
      });
      expect([refused.status, ((await refused.json()) as { error: { code: string } }).error.code]).toEqual([400, 'BadRequest']);
    } finally {
      proc.child.kill('SIGTERM');
      await proc.exited;
    }
  });

  it('answers a read that found no descriptor 503 serviceNotAvailable with Retry-After, and the same request once there is one', async () => {
    // The first two reads of the CSDL (which $metadata serves) fail as under the shortage.
    const { proc, url } = await startWith(`
      const fs = require('node:fs');
      const read = fs.readFileSync;
      let failures = 2;
      fs.readFileSync = function (file, ...rest) {
        if (failures > 0 && String(file).endsWith('beta.xml')) {
          failures -= 1;
          throw ${emfile('String(file)')};
        }
        return read.call(this, file, ...rest);
      };
      require('node:module').syncBuiltinESMExports();
    `);
    try {
      const metadata = () => fetch(`${url}/beta/$metadata`, { headers: { Authorization: 'Bearer t' } });
      for (let i = 0; i < 2; i++) {
        const short = await metadata();
        expect([short.status, short.headers.get('retry-after'), short.headers.get('content-type')]).toEqual([503, '1', 'application/json']);
        expect(((await short.json()) as { error: unknown }).error).toEqual({
          code: 'serviceNotAvailable',
          message: 'The emulator ran short of system resources (EMFILE: too many open files in this process); try again.',
          innerError: expect.objectContaining({ 'request-id': short.headers.get('request-id') }),
        });
      }
      const served = await metadata();
      expect(served.status).toBe(200);
      expect(await served.text()).toContain('<edmx:Edmx');
    } finally {
      proc.child.kill('SIGTERM');
      await proc.exited;
    }
  });
});
