// A reset reads the fixtures file again (it may have changed), and answers a file that is not JSON with a 400 that
// says where it stops being JSON without quoting it: the file may have been replaced by a link to another one, and
// the answer goes to whoever reaches the admin API (jsonSyntax.ts).
import { afterAll, describe, expect, it } from '@jest/globals';
import { rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { MemoryStore, createApp } from 'graph-accesspackages-emulator';
import { tempDir } from '../support/childProcess.js';
import { expectGraphError } from '../support/graph.js';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a reset whose fixtures file is no longer JSON', () => {
  it('is a 400 naming the file and the place, with none of its text', async () => {
    const fixtures = path.join(dir, 'tenant.json');
    writeFileSync(fixtures, JSON.stringify([{ id: '0f0c0d0e-0000-4000-8000-000000000001', displayName: 'From the file' }]));
    const app = createApp({ store: new MemoryStore(), fixtures });
    const secrets = path.join(dir, 'secrets.txt');
    writeFileSync(secrets, 'root:x:0:0:root:/root:/bin/bash\napi-key: 0123456789abcdef\n');
    unlinkSync(fixtures);
    symlinkSync(secrets, fixtures);
    const res = await request(app).post('/_emulator/reset').expect(400);
    expectGraphError(res, 400, 'BadRequest', `The fixtures file ${fixtures} is not valid JSON: a JSON value was expected at line 1, column 1.`);
    expect(res.text).not.toContain('root:x');
  });
});
