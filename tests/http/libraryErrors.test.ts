// A 4xx that Express or one of its libraries raises (serve-static's Range and precondition checks on the admin
// page's assets) keeps its status, in Graph's envelope with the headers of every error: nothing the library set
// for the success it did not send (the asset's ETag, Last-Modified, Accept-Ranges, its Cache-Control) stays on it.
import { statSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { PAGE_DIR } from '../../server/admin/page.js';
import { createApp } from '../../server/app.js';
import { GraphError, sendGraphError } from '../../server/graphErrors.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { expectGraphError } from '../support/graph.js';

const ASSET = '/_emulator/ui/assets/icon.svg';
const SIZE = statSync(path.join(PAGE_DIR, 'assets/icon.svg')).size;

function app() {
  return createApp({ store: new MemoryStore(), fixtures: { fixtures: 'empty', seed: 1 } });
}

function expectNoSuccessHeaders(res: { headers: Record<string, unknown> }): void {
  for (const name of ['etag', 'last-modified', 'accept-ranges', 'odata-version', 'location', 'preference-applied']) {
    expect(res.headers[name]).toBeUndefined();
  }
}

describe('a library 4xx on an admin-page asset', () => {
  it('a Range past the end is 416 invalidRange, naming the length in Content-Range, without the asset headers', async () => {
    const res = await request(app()).get(ASSET).set('Range', 'bytes=999999-');
    expectGraphError(res, 416, 'invalidRange', 'The specified byte range is invalid or unavailable.');
    expect(res.headers['content-range']).toBe(`bytes */${SIZE}`);
    expectNoSuccessHeaders(res);
    // Its own length, not the asset's, and not chunked.
    expect(res.headers['content-length']).toBe(String(Buffer.byteLength(res.text)));
  });

  it('an If-Match the asset does not match is 412 PreconditionFailed, without the asset headers', async () => {
    const res = await request(app()).get(ASSET).set('If-Match', '"not-this-one"');
    expectGraphError(res, 412, 'PreconditionFailed', "A precondition provided in the request does not match the resource's current state.");
    expect(res.headers['content-range']).toBeUndefined();
    expectNoSuccessHeaders(res);
  });

  it('a Range inside the asset is still served, with its own headers', async () => {
    const res = await request(app()).get(ASSET).set('Range', 'bytes=0-9');
    expect(res.status).toBe(206);
    expect(res.headers['content-range']).toBe(`bytes 0-9/${SIZE}`);
    expect(res.headers['etag']).toBeDefined();
  });
});

describe('an error that replaces an answer already given a length', () => {
  it('is sent with its own Content-Length, not chunked', async () => {
    // A success's length set before the failure that replaces it: removed, Node would send the error chunked.
    const server = createServer((_req, res) => {
      res.setHeader('Content-Length', '99999');
      res.setHeader('ETag', 'W/"1"');
      sendGraphError(res, GraphError.of('notFound', 'Gone since.'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const res = await request(server).get('/');
      expect(res.status).toBe(404);
      expect(JSON.parse(res.text)).toMatchObject({ error: { code: 'ResourceNotFound', message: 'Gone since.' } });
      expect(res.headers['content-length']).toBe(String(Buffer.byteLength(res.text)));
      expect(res.headers['transfer-encoding']).toBeUndefined();
      expect(res.headers['etag']).toBeUndefined();
    } finally {
      server.close();
    }
  });
});
