// The admin page as the server answers it: the page and its assets with their security headers, the admin API's
// rules (a browser check on every path, ADMIN_TOKEN on every path but health and the page), and a 404 of the
// admin API's own for what it does not serve.
import { describe, expect, it } from '@jest/globals';
import express from 'express';
import request from 'supertest';
import { pageRouter } from '../../server/admin/page.js';
import { createApp } from '../../server/app.js';
import { errorHandler } from '../../server/http/errorHandler.js';
import { graphHeaders, installGraphHeaders } from '../../server/http/graphHeaders.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { expectGraphError, expectGraphHeaders } from '../support/graph.js';
import { realServer, send } from '../support/realServer.js';

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

function app(adminToken?: string) {
  return createApp({ store: new MemoryStore(), adminToken, fixtures: { fixtures: 'empty', seed: 1 } });
}

function expectPageHeaders(res: { headers: Record<string, string | string[] | undefined> }): void {
  expect(res.headers).toMatchObject({
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
  });
}

describe('the admin page', () => {
  it.each(['/_emulator/', '/_emulator', '/_emulator/ui/data', '/_emulator/ui/faults', '/_emulator/UI/requests'])('GET %s answers the page', async (path) => {
    const res = await request(app()).get(path);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expectPageHeaders(res);
    expectGraphHeaders(res);
    expect(res.text).toContain('<script type="module" src="/_emulator/ui/assets/app.js"></script>');
    // No script, style or font from anywhere else: the page works offline.
    expect(res.text).not.toMatch(/(?:src|href)="(?:https?:)?\/\//);
  });

  it.each([
    ['app.js', 'text/javascript; charset=utf-8'],
    ['app.css', 'text/css; charset=utf-8'],
    ['icon.svg', 'image/svg+xml'],
  ])('serves its asset %s as %s, with the same headers', async (file, type) => {
    const res = await request(app()).get(`/_emulator/ui/assets/${file}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(type);
    expectPageHeaders(res);
    expect(Number(res.headers['content-length'])).toBeGreaterThan(100);
  });

  it('answers HEAD like GET without a body; another method is a 405 naming GET and HEAD', async () => {
    const head = await request(app()).head('/_emulator/');
    expect(head.status).toBe(200);
    expect(head.text).toBeUndefined();
    expectPageHeaders(head);
    const post = await request(app()).post('/_emulator/ui/data');
    expectGraphError(post, 405, 'MethodNotAllowed', 'The admin page answers GET and HEAD only, not POST.');
    expect(post.headers['allow']).toBe('GET, HEAD');
  });

  it('an asset it does not have is a 404 naming it, never the page', async () => {
    const res = await request(app()).get('/_emulator/ui/assets/missing.js');
    expectGraphError(res, 404, 'ResourceNotFound', "The admin page has no asset '/_emulator/ui/assets/missing.js'.");
  });

  it('a build without the page says how to build it', async () => {
    const bare = express();
    installGraphHeaders(bare);
    bare.use(graphHeaders);
    bare.use('/_emulator', pageRouter('/nonexistent/dist/ui'));
    bare.use(errorHandler(() => undefined));
    const res = await request(bare).get('/_emulator/');
    expectGraphError(res, 404, 'ResourceNotFound', 'The admin page is not built in this installation: run `npm run build` (it writes dist/ui).');
  });

  it('a path under /_emulator that nothing serves is the admin API’s 404, not the Graph bearer check', async () => {
    const res = await request(app()).get('/_emulator/nothing-here');
    expectGraphError(res, 404, 'ResourceNotFound', "The resource '/_emulator/nothing-here' was not found.");
    expect(res.headers['www-authenticate']).toBeUndefined();
  });
});

describe('the admin page under the admin API rules', () => {
  it('with ADMIN_TOKEN, the page and its assets load without it (a navigation sends none); the API still needs it', async () => {
    const guarded = app('s3cret');
    for (const path of ['/_emulator/', '/_emulator/ui/faults', '/_emulator/ui/assets/app.js']) expect((await request(guarded).get(path)).status).toBe(200);
    const api = await request(guarded).get('/_emulator/faults');
    expectGraphError(
      api,
      401,
      'InvalidAuthenticationToken',
      'This emulator is started with ADMIN_TOKEN: send Authorization: Bearer <ADMIN_TOKEN> to /_emulator/.',
    );
    expect(api.headers['www-authenticate']).toBe('Bearer realm="emulator-admin"');
    expectGraphError(await request(guarded).post('/_emulator/token').send({}), 401, 'InvalidAuthenticationToken');
    expect((await request(guarded).post('/_emulator/token').set('Authorization', 'Bearer s3cret').send({})).status).toBe(200);
  });

  it('with ADMIN_TOKEN, a dot segment after /ui/ opens nothing', async () => {
    const server = await realServer({ adminToken: 's3cret', fixtures: { fixtures: 'empty', seed: 1 } });
    try {
      for (const path of ['/_emulator/ui/../faults', '/_emulator/ui/./../export', '/_emulator/ui/..']) {
        const res = await send(server.port, { path });
        expectGraphError(res, 401, 'InvalidAuthenticationToken');
      }
    } finally {
      await server.close();
    }
  });

  it('its own requests pass the browser check: a typed URL, same-origin calls with or without Origin, its own host name', async () => {
    const server = await realServer({ allowedHosts: ['devbox.test'], fixtures: { fixtures: 'empty', seed: 1 } });
    try {
      const origin = `http://127.0.0.1:${server.port}`;
      expect((await send(server.port, { path: '/_emulator/', headers: { 'Sec-Fetch-Site': 'none', 'Sec-Fetch-Mode': 'navigate' } })).status).toBe(200);
      const read = await send(server.port, { path: '/_emulator/faults', headers: { 'Sec-Fetch-Site': 'same-origin' } });
      expect(read.status).toBe(200);
      expect(read.body).toEqual({ rules: [] });
      const minted = await send(server.port, {
        method: 'POST',
        path: '/_emulator/token',
        headers: { Origin: origin, 'Sec-Fetch-Site': 'same-origin', 'Content-Type': 'application/json' },
        body: '{"tid":"4d2f9a6c-1b3e-4f70-8a5d-6c9e2b1f0a37"}',
      });
      expect(minted.status).toBe(200);
      expect(minted.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
      // The page opened as http://devbox.test:port/_emulator/: its calls carry that origin.
      const own = await send(server.port, {
        method: 'DELETE',
        path: '/_emulator/faults',
        headers: { Host: `devbox.test:${server.port}`, Origin: `http://devbox.test:${server.port}`, 'Sec-Fetch-Site': 'same-origin' },
      });
      expect(own.status).toBe(204);
    } finally {
      await server.close();
    }
  });

  it('a link from another site does not open it, and another site cannot call what it calls', async () => {
    const server = await realServer({ fixtures: { fixtures: 'empty', seed: 1 } });
    try {
      const navigation = await send(server.port, { path: '/_emulator/', headers: { 'Sec-Fetch-Site': 'cross-site', 'Sec-Fetch-Mode': 'navigate' } });
      expectGraphError(navigation, 403, 'UnAuthorized', /^A cross-site request without an Origin may not use \/_emulator\//);
      const call = await send(server.port, {
        method: 'POST',
        path: '/_emulator/token',
        headers: { Origin: 'https://evil.example', 'Sec-Fetch-Site': 'cross-site', 'Content-Type': 'application/json' },
        body: '{}',
      });
      expectGraphError(call, 403, 'UnAuthorized', /^The origin 'https:\/\/evil\.example' may not use \/_emulator\//);
      expect(call.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await server.close();
    }
  });
});
