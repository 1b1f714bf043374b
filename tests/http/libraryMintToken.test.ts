// mintToken takes the fields of POST /_emulator/token, checked by the same schema: what the endpoint answers with a
// 400 the library refuses with a ConfigError of the same message, the request named as mintToken's.
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { ConfigError, MemoryStore, createApp, mintToken, startEmulator } from 'graph-accesspackages-emulator';

const app = createApp({ store: new MemoryStore(), auth: 'strict' });
const PATTERN = "tid must be a tenant id: 1 to 128 letters, digits, '.', '-' or '_'.";

describe('mintToken with fields the endpoint refuses', () => {
  it.each([
    ['a tid no tenant can have', { tid: 'bad tid!' }, PATTERN, PATTERN],
    ['an empty tid', { tid: '' }, PATTERN, PATTERN],
    ['a tid longer than a tenant id', { tid: 'a'.repeat(129) }, PATTERN, PATTERN],
    ['a tid that is no text', { tid: 5 }, 'tid must be string.', 'tid must be string.'],
    ['a misspelt field', { tenant: 'w1' }, "mintToken's request: unknown field 'tenant'.", "the body: unknown field 'tenant'."],
    ['a lifetime that is no number', { expiresIn: 'abc' }, 'expiresIn must be integer.', 'expiresIn must be integer.'],
    ['scopes that are no text', { scp: 5 }, 'scp must be string,array.', 'scp must be string,array.'],
    ['a list', ['w1'], "mintToken's request must be object.", 'the body must be object.'],
  ] as [string, unknown, string, string][])('refuses %s with a ConfigError, as the endpoint answers 400', async (_name, fields, message, answered) => {
    const minted = mintToken(fields as never);
    await expect(minted).rejects.toThrow(new ConfigError(message));
    await expect(minted).rejects.toBeInstanceOf(ConfigError);
    const res = await request(app).post('/_emulator/token').set('Content-Type', 'application/json').send(JSON.stringify(fields)).expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body.error).toMatchObject({ code: 'BadRequest', message: answered });
  });

  it('refuses null, which would mint a default token the caller did not describe', async () => {
    await expect(mintToken(null as never)).rejects.toThrow(new ConfigError("mintToken's request must be object."));
  });

  it('mints a token the strict app accepts for the tenant named', async () => {
    const token = await mintToken({ tid: 'w1', scp: 'EntitlementManagement.Read.All' });
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    expect(claims).toMatchObject({ tid: 'w1', scp: 'EntitlementManagement.Read.All', iss: 'https://sts.windows.net/w1/' });
    const res = await request(app).get('/beta/identityGovernance/entitlementManagement/accessPackages').set('Authorization', `Bearer ${token}`).expect(200);
    expect(res.headers['odata-version']).toBe('4.0');
    expect(res.body['@odata.context']).toBe('https://graph.microsoft.com/beta/$metadata#identityGovernance/entitlementManagement/accessPackages');
  });

  it("takes a tid of every character a tenant id may hold (letters, digits, '.', '-', '_'), as the endpoint does", async () => {
    const tid = 'Contoso.onmicrosoft_com-1';
    const token = await mintToken({ tid });
    expect(JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString())).toMatchObject({ tid: 'contoso.onmicrosoft_com-1' });
    const res = await request(app).post('/_emulator/token').send({ tid }).expect(200);
    expect(JSON.parse(Buffer.from(res.body.access_token.split('.')[1], 'base64url').toString())).toMatchObject({ tid: 'contoso.onmicrosoft_com-1' });
  });
});

it("a running emulator's mintToken refuses a misspelt field with the same ConfigError", async () => {
  const emulator = await startEmulator();
  try {
    await expect(emulator.mintToken({ tenant: 'w1' } as never)).rejects.toThrow(new ConfigError("mintToken's request: unknown field 'tenant'."));
  } finally {
    await emulator.close();
  }
});
