// ADMIN_TOKEN: with one set, every admin route but health and the admin page needs it; Graph routes and their bearer check are
// not affected. Health tells no path of the machine, since it stays open.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { createApp } from '../../server/app.js';
import { SETTINGS } from '../../server/settings.js';
import { MemoryStore } from '../../server/store/memoryStore.js';
import { AUTH, PACKAGES, expectGraphError } from '../support/graph.js';
import { section } from '../support/markdown.js';

const TOKEN = 'correct horse battery staple';

function app(adminToken?: string) {
  return createApp({ store: new MemoryStore(), adminToken, fixtures: { fixtures: 'empty', seed: 1 } });
}

describe('ADMIN_TOKEN', () => {
  it.each([
    ['POST', '/_emulator/reset'],
    ['GET', '/_emulator/export'],
    ['GET', '/_emulator/faults'],
    ['DELETE', '/_emulator/faults'],
  ])('%s %s without it is 401 in Graph envelope, naming the setting', async (method, path) => {
    const res = await request(app(TOKEN))[method.toLowerCase() as 'get'](path);
    expectGraphError(
      res,
      401,
      'InvalidAuthenticationToken',
      'This emulator is started with ADMIN_TOKEN: send Authorization: Bearer <ADMIN_TOKEN> to /_emulator/.',
    );
    expect(res.headers['www-authenticate']).toBe('Bearer realm="emulator-admin"');
  });

  it("covers POST /_emulator/token but not the OAuth token endpoint, as docs/security.md's exposure table says", async () => {
    const emulator = app(TOKEN);
    expectGraphError(await request(emulator).post('/_emulator/token'), 401, 'InvalidAuthenticationToken');
    const oauth = await request(emulator)
      .post('/common/oauth2/v2.0/token')
      .type('form')
      .send({ grant_type: 'client_credentials', client_id: 'ci', client_secret: 's', scope: 'https://graph.microsoft.com/.default' });
    expect(oauth.status).toBe(200);
    expect(oauth.body).toMatchObject({ token_type: 'Bearer' });
    const rows = section('docs/security.md', 'What is exposed, to whom').split('\n');
    expect(rows.find((row) => row.startsWith('| admin API ('))).toContain('`requests`, `token`)');
    expect(rows.find((row) => row.startsWith('| OAuth endpoints ('))).toContain('`ADMIN_TOKEN` does not apply to them');
  });

  it('a wrong token is 401; the right one works', async () => {
    const emulator = app(TOKEN);
    const wrong = await request(emulator).post('/_emulator/reset').set('Authorization', 'Bearer guess');
    expectGraphError(wrong, 401, 'InvalidAuthenticationToken', 'The bearer token is not the ADMIN_TOKEN this emulator was started with.');
    const right = await request(emulator).post('/_emulator/reset').set('Authorization', `Bearer ${TOKEN}`);
    expect(right.status).toBe(200);
    expect(right.body).toMatchObject({ status: 'reset' });
  });

  it('reads the token after Bearer in any case and spacing, and only after Bearer', async () => {
    const emulator = app(TOKEN);
    for (const header of [`Bearer  ${TOKEN}`, `bearer ${TOKEN} `, `BEARER\t${TOKEN}`]) {
      expect((await request(emulator).get('/_emulator/faults').set('Authorization', header)).status).toBe(200);
    }
    expectGraphError(
      await request(emulator).get('/_emulator/faults').set('Authorization', `XBearer ${TOKEN}`),
      401,
      'InvalidAuthenticationToken',
      'This emulator is started with ADMIN_TOKEN: send Authorization: Bearer <ADMIN_TOKEN> to /_emulator/.',
    );
    // "Bearer" with no token asks for one; a header of 15 KB with spaces inside is read in one pass and refused.
    expectGraphError(
      await request(emulator).get('/_emulator/faults').set('Authorization', 'Bearer'),
      401,
      'InvalidAuthenticationToken',
      'This emulator is started with ADMIN_TOKEN: send Authorization: Bearer <ADMIN_TOKEN> to /_emulator/.',
    );
    expectGraphError(
      await request(emulator)
        .get('/_emulator/faults')
        .set('Authorization', `Bearer a${' '.repeat(15_000)}x`),
      401,
      'InvalidAuthenticationToken',
      'The bearer token is not the ADMIN_TOKEN this emulator was started with.',
    );
  });

  it('opens health only by its own path: with slashes after it, not with one inside it', async () => {
    // Past the check, where no route has that path (404), not refused by it (401).
    expect((await request(app(TOKEN)).get('/_emulator/health//')).status).toBe(404);
    expectGraphError(await request(app(TOKEN)).get('/_emulator/heal/th'), 401, 'InvalidAuthenticationToken');
  });

  it('health stays open for healthchecks, and names the store without a folder', async () => {
    for (const path of ['/_emulator/health', '/_emulator/health/', '/_emulator/HEALTH']) {
      const res = await request(app(TOKEN)).get(path);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        status: 'ok',
        version: expect.any(String),
        store: ':memory:',
        records: expect.objectContaining({ accessPackages: 0, accessPackageCatalogs: 0 }),
        tenants: 1,
      });
    }
  });

  it('Graph routes keep their own bearer check, whatever the admin token', async () => {
    const emulator = app(TOKEN);
    expect((await request(emulator).get(PACKAGES).set(AUTH)).status).toBe(200);
    expectGraphError(await request(emulator).get(PACKAGES), 401, 'InvalidAuthenticationToken', 'Access token is empty.');
  });

  it('without it, the admin API needs no token (as documented for curl and test suites)', async () => {
    expect((await request(app()).post('/_emulator/reset')).status).toBe(200);
  });

  it('the admin page is open as health is, and the README and --help name both exceptions', async () => {
    const emulator = app(TOKEN);
    expect((await request(emulator).get('/_emulator/ui/data')).status).not.toBe(401);
    expect((await request(emulator).get('/_emulator/export')).status).toBe(401);
    const row = section('docs/configuration.md', 'Configuration')
      .split('\n')
      .find((line) => line.startsWith('| `adminToken` |'));
    expect(row).toContain("but health and the [admin page](admin-page.md)'s files (`/_emulator/`, `/_emulator/ui/…`)");
    expect(SETTINGS.find((s) => s.key === 'adminToken')?.help).toBe('Bearer token /_emulator/* requires (health and the admin page excepted)');
  });

  it('reset is no exception, and docs/data-and-persistence.md says so rather than likening it to health', async () => {
    const emulator = app(TOKEN);
    expect((await request(emulator).get('/_emulator/health')).status).toBe(200);
    expectGraphError(await request(emulator).post('/_emulator/reset'), 401, 'InvalidAuthenticationToken');
    const resetSection = section('docs/data-and-persistence.md', 'Reset and export between tests');
    expect(resetSection).not.toContain('Like `/_emulator/health`, it needs no token.');
    expect(resetSection).toContain('no token at all unless `ADMIN_TOKEN` is set');
  });
});
