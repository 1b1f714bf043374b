// What the request journal never keeps (journalSecrets.ts): a credential beyond its scheme, a cookie's value, a
// token or secret in a query, a body or a $batch item's headers; and a text without any kept as it was.
import { describe, expect, it } from '@jest/globals';
import { REDACTED, cookieNames, credentialScheme, keptRequestHeaders, withoutSecrets } from '../../server/http/journalSecrets.js';
import { asUrlText } from '../../server/urlText.js';

describe('credentialScheme', () => {
  it.each([
    ['Bearer abc.def.ghi', 'Bearer'],
    ['  Basic\tdXNlcjpwYXNz', 'Basic'],
    ['PoP  token', 'PoP'],
    // No space: the value may be a bare token, so nothing of it is kept.
    ['eyJhbGciOiJub25lIn0.eyJ0aWQiOiJ4In0.SECRETSIG1', ''],
    ['Bearer:TOKEN', ''],
    ['Token=abc def', ''],
    // Only an authentication scheme's name, in any case, is kept as sent: a token before one keeps nothing.
    ['eyJhbGciOiJub25lIn0.eyJ0aWQiOiJ4In0.SECRETSIG2 Bearer', ''],
    ['SEKLOG9 Bearer', ''],
    ['Token abc', ''],
    ['bEARER t', 'bEARER'],
    ['NTLM TlRMTVNTUAABAAAA', 'NTLM'],
    ['pop eyJ0eXAiOiJwb3AifQ', 'pop'],
    ['DPoP t', 'DPoP'],
    ['SCRAM-SHA-256 data=x', 'SCRAM-SHA-256'],
    ['vapid t=x, k=y', 'vapid'],
    ['Negotiate YIIG', 'Negotiate'],
    ['BearerX t', ''],
    ['Bearer', ''],
    ['', ''],
  ])('%j keeps %j', (value, scheme) => {
    expect(credentialScheme(value)).toBe(scheme);
  });
});

describe('cookieNames', () => {
  it.each([
    ['session=abc; theme=dark', 'session; theme'],
    // A cookie without a name is sent as its value alone: nothing of it is kept.
    ['flag', ''],
    ['SEKRETH9; sid=1', 'sid'],
    ['a=1;SEKRET ; b=2', 'a; b'],
    [' a = 1 ;; =2; b=x=y ', 'a; b'],
    ['', ''],
  ])('%j keeps %j', (value, names) => {
    expect(cookieNames(value)).toBe(names);
  });
});

describe('keptRequestHeaders', () => {
  it('cuts credentials to their scheme and cookies to their names, in any case, and leaves the raw pairs as they were', () => {
    const raw = ['Host', 'x', 'AUTHORIZATION', 'Bearer t0ken', 'proxy-authorization', 'Basic cHc=', 'Cookie', 'sid=s3cret; a=1', 'X-Cookie', 'kept=1'];
    const copy = [...raw];
    expect(keptRequestHeaders(raw)).toBe('Host\nx\nAUTHORIZATION\nBearer\nproxy-authorization\nBasic\nCookie\nsid; a\nX-Cookie\nkept=1');
    expect(raw).toEqual(copy);
  });

  it("keeps a Host's host alone when it names a user and a password, and any other Host as it is", () => {
    expect(keptRequestHeaders(['host', 'mallory:pwZ@evil:4000', 'Accept', '*/*'])).toBe('host\nevil:4000\nAccept\n*/*');
    expect(keptRequestHeaders(['HOST', 'a@b@localhost'])).toBe('HOST\nlocalhost');
    expect(keptRequestHeaders(['Host', 'localhost:4000', 'X-Host', 'a@b'])).toBe('Host\nlocalhost:4000\nX-Host\na@b');
  });

  it('joins pairs without a credential as they are, whatever their names end or start with', () => {
    const raw = [
      'Accept',
      '*/*',
      'Authorizatio',
      'x',
      'Proxy-Authorizations',
      'y',
      'X-Authorization',
      'Bearer kept',
      'Cookies',
      'a=1; b=2',
      'Set-Cookie',
      'c=3',
    ];
    expect(keptRequestHeaders(raw)).toBe(raw.join('\n'));
  });
});

describe('withoutSecrets', () => {
  it('keeps texts that name no secret as the very same strings', () => {
    const body = '{ "displayName" : "Sales",  "description": "a 100% token-free text" }';
    const answer = '{"value":[]}';
    const kept = withoutSecrets('$top=5&$filter=displayName%20eq%20%27x%27', body, answer);
    expect(kept).toEqual({ query: '$top=5&$filter=displayName%20eq%20%27x%27', requestBody: body, responseBody: answer });
    expect(kept.requestBody).toBe(body);
    expect(withoutSecrets('', undefined, undefined)).toEqual({ query: '', requestBody: undefined, responseBody: undefined });
  });

  it("redacts a query's secret parameters, in any case or percent-encoded, and their copy in the answer's nextLink", () => {
    const query = '$top=1&access_token=S1&Client_Secret=S2&client%5Fsecret=S3&password=&tokens=kept&code=kept';
    const value = [{ description: null, isHidden: false, count: 1 }];
    const answer = JSON.stringify({ value, '@odata.nextLink': `https://graph.microsoft.com/beta/x?${query}&$skiptoken=t` });
    const kept = withoutSecrets(query, undefined, answer);
    const redacted = `$top=1&access_token=${REDACTED}&Client_Secret=${REDACTED}&client%5Fsecret=${REDACTED}&password=${REDACTED}&tokens=kept&code=kept`;
    expect(kept.query).toBe(redacted);
    expect(JSON.parse(kept.responseBody!)).toEqual({ value, '@odata.nextLink': `https://graph.microsoft.com/beta/x?${redacted}&$skiptoken=t` });
    expect(`${kept.query}${kept.responseBody}`).not.toMatch(/S1|S2|S3/);
  });

  it.each([
    ['brackets', 'SEKRET[1]'],
    ['a lone percent', 'TOPSECRET2%7'],
    ['braces, bar and caret', 'S{E}K|R^T'],
    ['a quote', 'SEK"RET'],
    ['malformed percent-encoding', 'SEK%zzRET'],
    ['a space, a quote, a non-ASCII letter and angle brackets', 'TOP SECRET3 "é<>'],
  ])('redacts a secret query value with %s where the nextLink spells it percent-encoded', (_name, value) => {
    const query = `$top=1&access_token=${value}&$select=id`;
    const link = `http://127.0.0.1:1/beta/x?${asUrlText(query)}&$skiptoken=t`;
    expect(link).not.toContain(value);
    const kept = withoutSecrets(query, undefined, JSON.stringify({ '@odata.nextLink': link, note: asUrlText(value) }));
    expect(kept.query).toBe(`$top=1&access_token=${REDACTED}&$select=id`);
    expect(JSON.parse(kept.responseBody!)).toEqual({
      '@odata.nextLink': `http://127.0.0.1:1/beta/x?$top=1&access_token=${REDACTED}&$select=id&$skiptoken=t`,
      note: REDACTED,
    });
  });

  it("redacts a secret-named parameter's value in any URL of the answer, however the link spells it", () => {
    const answer = JSON.stringify({
      '@odata.nextLink': 'https://e/x?$top=1&access%5Ftoken=OTHERSPELLING&Password=P2#frag&password=kept',
      message: 'see https://e/y?client_secret=S3 and https://e/z?x=1&refresh_token=S4 "quoted"',
    });
    const kept = withoutSecrets('access_token=S1', undefined, answer);
    expect(JSON.parse(kept.responseBody!)).toEqual({
      '@odata.nextLink': `https://e/x?$top=1&access%5Ftoken=${REDACTED}&Password=${REDACTED}#frag&password=kept`,
      message: `see https://e/y?client_secret=${REDACTED} and https://e/z?x=1&refresh_token=${REDACTED} "quoted"`,
    });
  });

  it.each(['access_token', 'refresh_token', 'id_token', 'client_secret', 'client_assertion', 'assertion', 'password'])(
    'redacts %s in a query and a body',
    (name) => {
      const kept = withoutSecrets(`${name}=S&x=1`, JSON.stringify({ [name]: 'S', x: 1 }), undefined);
      expect(kept.query).toBe(`${name}=${REDACTED}&x=1`);
      expect(JSON.parse(kept.requestBody!)).toEqual({ [name]: REDACTED, x: 1 });
    },
  );

  it('keeps a parameter named like a secret but without a value, and a name that does not decode, as they are', () => {
    expect(withoutSecrets('access_token&password%zz=1&x=2', undefined, undefined).query).toBe('access_token&password%zz=1&x=2');
    expect(withoutSecrets('pass%77ord=S', undefined, undefined).query).toBe(`pass%77ord=${REDACTED}`);
  });

  it('keeps a JSON body without a secret as sent, though it names one in a value, holds lists and nulls', () => {
    const body = '{ "note": "the password is rotated",  "tags": ["token", null, 3], "owner": null, "nested": [[{"a": "cookie"}]] }';
    expect(withoutSecrets('', body, undefined).requestBody).toBe(body);
  });

  it('redacts a credential or cookie field whose value is no string whole, since it may hold a token', () => {
    const body = JSON.stringify({
      authorization: { password: 'p', other: 1 },
      cookie: 5,
      headers: { Cookie: ['sid=SEKC1'], Authorization: ['Bearer SEKA1'], 'Proxy-Authorization': { v: 'Bearer SEKP1' }, COOKIE: null },
    });
    const kept = withoutSecrets('', body, undefined).requestBody!;
    expect(JSON.parse(kept)).toEqual({
      authorization: REDACTED,
      cookie: REDACTED,
      headers: { Cookie: REDACTED, Authorization: REDACTED, 'Proxy-Authorization': REDACTED, COOKIE: null },
    });
    expect(kept).not.toMatch(/SEK/);
  });

  it("redacts a $batch item's secret-named header whose value is no string whole, and where the answer quotes it", () => {
    const headers = { 'X-Api-Key': ['SEKK1'], Token: 98765, 'X-Secret': { v: 'SEKK2' }, apikey: null, Accept: 'application/json' };
    const batch = JSON.stringify({ requests: [{ id: '1', method: 'GET', url: '/x', headers }] });
    const kept = withoutSecrets('', batch, '{"error":{"message":"SEKK1, 98765 and SEKK2 are no strings."}}');
    expect(kept.requestBody).toBe(
      JSON.stringify({
        requests: [
          {
            id: '1',
            method: 'GET',
            url: '/x',
            headers: { 'X-Api-Key': REDACTED, Token: REDACTED, 'X-Secret': REDACTED, apikey: null, Accept: 'application/json' },
          },
        ],
      }),
    );
    expect(kept.responseBody).toBe(`{"error":{"message":"${REDACTED}, ${REDACTED} and ${REDACTED} are no strings."}}`);
  });

  it("reads each $batch item's fields by name alone: apikey, padded names, a Content-Type after others, values of other types", () => {
    const item = (fields: Record<string, unknown>) => JSON.stringify({ requests: [{ id: '1', method: 'POST', url: '/x', ...fields }] });
    const kept = (body: string, answer?: string) => withoutSecrets('', body, answer);
    // A header named apikey alone, nothing else naming a secret.
    expect(kept(item({ headers: { apikey: 'SEKQ1' } })).requestBody).toBe(item({ headers: { apikey: REDACTED } }));
    // A credential sent with spaces before its scheme: the token, not a part of the scheme, is what the answer loses.
    const padded = kept(item({ headers: { Authorization: '  Bearer SEKQ2' } }), '{"message":"SEKQ2"}');
    expect([padded.requestBody, padded.responseBody]).toEqual([item({ headers: { Authorization: 'Bearer' } }), `{"message":"${REDACTED}"}`]);
    // Item fields named with spaces around them; headers that are null; a url or a body that is no string.
    expect(kept(item({ ' headers ': { 'X-Api-Key': 'SEKQ3' } })).requestBody).toBe(item({ ' headers ': { 'X-Api-Key': REDACTED } }));
    expect(kept(item({ headers: null, url: 5, password: 'SEKQ4' })).requestBody).toBe(item({ headers: null, url: 5, password: REDACTED }));
    const form = { 'Content-Type': 'application/x-www-form-urlencoded' };
    expect(kept(item({ headers: form, body: { password: 'SEKQ5' } })).requestBody).toBe(item({ headers: form, body: { password: REDACTED } }));
    // A string field other than `body` that reads like a form is a value, kept as sent.
    expect(kept(item({ description: 'client_secret=kept', password: 'SEKQ6' })).requestBody).toBe(
      item({ description: 'client_secret=kept', password: REDACTED }),
    );
    // A base64url form body whose Content-Type comes after another header, its name padded: only its secret goes,
    // its other bytes (latin1) and the item's other fields as sent.
    const base64 = (text: string) => Buffer.from(text, 'latin1').toString('base64url');
    const headers = { Accept: 'application/json', ' Content-Type ': 'application/x-www-form-urlencoded' };
    expect(kept(item({ headers, body: base64('displayName=caf\xe9&client_secret=SEKQ7') })).requestBody).toBe(
      item({ headers, body: base64(`displayName=caf\xe9&client_secret=${REDACTED}`) }),
    );
    // Broken JSON: a credential or a cookie named with spaces around it, whose value is no string.
    expect(kept('{"requests":[{"headers":{" Authorization ":["SEKQ8"]," Cookie ":{"a":"SEKQ9"}}}').requestBody).toBe(
      `{"requests":[{"headers":{" Authorization ":"${REDACTED}"," Cookie ":"${REDACTED}"}}`,
    );
    // A body naming a secret only in a field name that guards nothing is kept as sent, its spacing included.
    const spaced = '{ "requests": [ { "id": "1", "headers": { "Accept": "x" }, "body": { "tokenLifetime": 1 } } ] }';
    expect(kept(spaced).requestBody).toBe(spaced);
  });

  it('redacts secret fields of a JSON body at any depth, writing it again', () => {
    const body = JSON.stringify({ displayName: 'x', nested: [{ CLIENT_SECRET: 's1', refresh_token: { a: 1 } }], password: 'p', tokenCount: 2 });
    expect(JSON.parse(withoutSecrets('', body, undefined).requestBody!)).toEqual({
      displayName: 'x',
      nested: [{ CLIENT_SECRET: REDACTED, refresh_token: REDACTED }],
      password: REDACTED,
      tokenCount: 2,
    });
  });

  it("cuts the credential headers of a $batch's items to their scheme and their cookies to their names", () => {
    const batch = {
      requests: [
        { id: '1', method: 'GET', url: '/x', headers: { Authorization: 'Bearer SECRETA', 'proxy-authorization': 'Basic SECRETP', cookie: 'sid=SECRETC' } },
        { id: '2', method: 'GET', url: '/y', headers: { 'x-tag': 'kept' } },
      ],
    };
    expect(JSON.parse(withoutSecrets('', JSON.stringify(batch), undefined).requestBody!)).toEqual({
      requests: [
        { id: '1', method: 'GET', url: '/x', headers: { Authorization: 'Bearer', 'proxy-authorization': 'Basic', cookie: 'sid' } },
        { id: '2', method: 'GET', url: '/y', headers: { 'x-tag': 'kept' } },
      ],
    });
  });

  it("redacts the secret pairs of a $batch's item urls, and the same pairs where the batch's answer repeats them", () => {
    const batch = {
      requests: [
        { id: '1', method: 'GET', url: '/x?$top=1&access_token=SECRET1&$select=id' },
        { id: '2', method: 'GET', url: '/y?client_secret=SECRET2' },
        { id: '3', method: 'GET', url: '/z?tokenCount=2' },
      ],
    };
    const answer = JSON.stringify({
      responses: [{ id: '1', status: 200, body: { '@odata.nextLink': 'https://e/x?$top=1&access_token=SECRET1&$select=id&$skiptoken=t' } }],
    });
    const kept = withoutSecrets('', JSON.stringify(batch), answer);
    expect(JSON.parse(kept.requestBody!)).toEqual({
      requests: [
        { id: '1', method: 'GET', url: `/x?$top=1&access_token=${REDACTED}&$select=id` },
        { id: '2', method: 'GET', url: `/y?client_secret=${REDACTED}` },
        { id: '3', method: 'GET', url: '/z?tokenCount=2' },
      ],
    });
    expect(JSON.parse(kept.responseBody!)).toEqual({
      responses: [{ id: '1', status: 200, body: { '@odata.nextLink': `https://e/x?$top=1&access_token=${REDACTED}&$select=id&$skiptoken=t` } }],
    });
    expect(kept.query).toBe('');
  });

  it('redacts a secret whose name is escaped in a JSON body or percent-encoded in a form, and keeps a body that only looks so', () => {
    const escaped = '{"displayName":"f2","client_\\u0073ecret":"SEKRETF2","nested":{"access_\\u0074oken":"SEKRETT2"},"note":"a\\nb"}';
    expect(JSON.parse(withoutSecrets('', escaped, undefined).requestBody!)).toEqual({
      displayName: 'f2',
      client_secret: REDACTED,
      nested: { access_token: REDACTED },
      note: 'a\nb',
    });
    expect(withoutSecrets('', 'client_%73ecret=SEKRETF1&pass%77ord=P&x=%41', undefined).requestBody).toBe(
      `client_%73ecret=${REDACTED}&pass%77ord=${REDACTED}&x=%41`,
    );
    // Cut or broken JSON: its fields' names decoded as JSON strings.
    expect(withoutSecrets('', '{"x":"\\"", "client_\\u0073ecret" : "S\\u0031", "a": ', undefined).requestBody).toBe(
      `{"x":"\\"", "client_\\u0073ecret" : "${REDACTED}", "a": `,
    );
    // Broken JSON whose secret holds a backslash before a line terminator, and JSON cut inside an escape: the
    // backslash takes the character after it, and a value cut at the end is redacted to the end.
    for (const [body, kept] of [
      ['{"password": "ab\\\ncd", "x": 1}', `{"password": "${REDACTED}", "x": 1}`],
      ['{"client_secret": "ab\\\u2028cd", "pass\\\rword": "x"}', `{"client_secret": "${REDACTED}", "pass\\\rword": "x"}`],
      ['{"a": "\\\r", "password": "SEK"}', `{"a": "\\\r", "password": "${REDACTED}"}`],
      ['{"password": "SEKRET\\', `{"password": "${REDACTED}`],
    ]) {
      expect(withoutSecrets('', body, undefined).requestBody).toBe(kept);
    }
    for (const body of ['{"displayName":"a\\u0073b","note":"50%"}', 'x=%41&y=%zz', '{"\\u0063lient_id":"kept"}']) {
      expect(withoutSecrets('', body, undefined).requestBody).toBe(body);
    }
  });

  it("keeps a header named for a secret as REDACTED and a Referer's secret parameters redacted, on the wire and in a $batch item", () => {
    const raw = [
      'Host',
      'h',
      'Referer',
      'http://app.local/cb?x=1&access_token=SEK5',
      'X-MS-TOKEN-AAD-ACCESS-TOKEN',
      'SEK6',
      'X-Api-Key',
      'SEK7',
      'User-Agent',
      'ua',
    ];
    expect(keptRequestHeaders(raw).split('\n')).toEqual([
      'Host',
      'h',
      'Referer',
      `http://app.local/cb?x=1&access_token=${REDACTED}`,
      'X-MS-TOKEN-AAD-ACCESS-TOKEN',
      REDACTED,
      'X-Api-Key',
      REDACTED,
      'User-Agent',
      'ua',
    ]);
    // Only the Referer's URL is read for secret parameters; a Referer without a query, and another header holding
    // a URL, are kept as sent; a header whose name says apikey without a hyphen is a secret's too.
    expect(
      keptRequestHeaders(['Referer', 'http://app.local/token/page', 'X-Origin-Url', 'http://x/?access_token=kept', 'apikey', 'SEK12']).split('\n'),
    ).toEqual(['Referer', 'http://app.local/token/page', 'X-Origin-Url', 'http://x/?access_token=kept', 'apikey', REDACTED]);
    // A block that names none of them is kept as it was sent.
    expect(keptRequestHeaders(['Host', 'h', 'Referer', 'http://app.local/cb?x=1'])).toBe('Host\nh\nReferer\nhttp://app.local/cb?x=1');
    const headers = { 'x-api-key': 'SEK8', apikey: 'SEK9', Token: 'SEK10', Secret: 'SEK11', Accept: 'application/json' };
    const batch = JSON.stringify({ requests: [{ id: '1', method: 'GET', url: '/x', headers, body: { apiVersion: 'kept', tokenLifetime: 'kept' } }] });
    expect(JSON.parse(withoutSecrets('', batch, undefined).requestBody!)).toEqual({
      requests: [
        {
          id: '1',
          method: 'GET',
          url: '/x',
          headers: { 'x-api-key': REDACTED, apikey: REDACTED, Token: REDACTED, Secret: REDACTED, Accept: 'application/json' },
          body: { apiVersion: 'kept', tokenLifetime: 'kept' },
        },
      ],
    });
  });

  it("keeps a $batch item's header whose name says passw (X-Passwd) as REDACTED, as on the wire, though nothing else names a secret", () => {
    expect(keptRequestHeaders(['X-Passwd', 'SEK13', 'Accept', 'application/json'])).toBe(`X-Passwd\n${REDACTED}\nAccept\napplication/json`);
    const batch = JSON.stringify({ requests: [{ id: '1', method: 'GET', url: '/x', headers: { 'X-Passwd': 'SEK14', Accept: 'application/json' } }] });
    const kept = withoutSecrets('', batch, '{"responses":[]}');
    expect(kept.requestBody).toBe(
      JSON.stringify({ requests: [{ id: '1', method: 'GET', url: '/x', headers: { 'X-Passwd': REDACTED, Accept: 'application/json' } }] }),
    );
    expect(kept.responseBody).toBe('{"responses":[]}');
  });

  it('redacts a secret named with a list index (qs, PHP) and one after a raw # in a query, keeping every separator', () => {
    expect(withoutSecrets('x=1#access_token=SEK1&y=2', undefined, undefined).query).toBe(`x=1#access_token=${REDACTED}&y=2`);
    // A # inside a secret's value is part of what is taken out, not the start of a pair.
    expect(withoutSecrets('access_token=AAAA#BBBB&y=2', undefined, undefined).query).toBe(`access_token=${REDACTED}&y=2`);
    expect(withoutSecrets('', 'password=Pa#ssWORD&x=1', undefined).requestBody).toBe(`password=${REDACTED}&x=1`);
    expect(withoutSecrets('x=1#y=2#password=P#Q', undefined, undefined).query).toBe(`x=1#y=2#password=${REDACTED}`);
    // The whole value is looked for in the answer too.
    const answered = withoutSecrets('access_token=AAAA#BBBB', undefined, JSON.stringify({ echo: 'AAAA#BBBB' })).responseBody;
    expect(JSON.parse(answered!)).toEqual({ echo: REDACTED });
    expect(withoutSecrets('access_token[]=SEK2&password%5B0%5D=SEK3&tokens[]=kept', undefined, undefined).query).toBe(
      `access_token[]=${REDACTED}&password%5B0%5D=${REDACTED}&tokens[]=kept`,
    );
    expect(withoutSecrets('', 'client_secret[x]=SEK4&a=b', undefined).requestBody).toBe(`client_secret[x]=${REDACTED}&a=b`);
    // Spaces around a name (and an index), and a `+` read as one, are no disguise; an index must end the name.
    expect(withoutSecrets(' access_token =S1&password%20[0]=S2&access_token+=S3&access_token[0]x=kept', undefined, undefined).query).toBe(
      ` access_token =${REDACTED}&password%20[0]=${REDACTED}&access_token+=${REDACTED}&access_token[0]x=kept`,
    );
    // A name that only ends like an index of a secret's is no secret's.
    expect(withoutSecrets('secret[]=kept&access_tokens=kept', undefined, undefined).query).toBe('secret[]=kept&access_tokens=kept');
  });

  it("redacts a $batch item url's percent-encoded secret pair, and where the batch's answer repeats it", () => {
    const url = '/x?$top=1&client_%73ecret=SEKBURL';
    const answer = JSON.stringify({ responses: [{ id: '1', status: 200, body: { '@odata.nextLink': `https://e${url}&$skiptoken=t` } }] });
    const kept = withoutSecrets('', JSON.stringify({ requests: [{ id: '1', method: 'GET', url }] }), answer);
    expect(JSON.parse(kept.requestBody!)).toEqual({ requests: [{ id: '1', method: 'GET', url: `/x?$top=1&client_%73ecret=${REDACTED}` }] });
    expect(JSON.parse(kept.responseBody!)).toEqual({
      responses: [{ id: '1', status: 200, body: { '@odata.nextLink': `https://e/x?$top=1&client_%73ecret=${REDACTED}&$skiptoken=t` } }],
    });
  });

  it('redacts secrets in a body that is not JSON: a form, and JSON cut or broken', () => {
    expect(withoutSecrets('', 'grant_type=client_credentials&client_secret=S1&scope=x', undefined).requestBody).toBe(
      `grant_type=client_credentials&client_secret=${REDACTED}&scope=x`,
    );
    expect(withoutSecrets('', '{"displayName":"x", "Client_Secret" : "S\\"1", ', undefined).requestBody).toBe(
      `{"displayName":"x", "Client_Secret" : "${REDACTED}", `,
    );
    expect(withoutSecrets('', 'the password is in the manual', undefined).requestBody).toBe('the password is in the manual');
  });

  it('redacts a secret of the body where the answer quotes it: escaped once, or twice in a quoted JSON text', () => {
    const body = JSON.stringify({ displayName: { password: 'hun"ter2' }, description: 'x' });
    const literal = JSON.stringify({ password: 'hun"ter2' });
    const answer = JSON.stringify({
      error: { code: 'badRequest', message: `cannot convert the literal '${literal}' to the expected type 'Edm.String'.` },
      quoted: JSON.stringify({ message: `literal '${literal}'` }),
      plain: 'hun"ter2 and hunter2',
    });
    const kept = withoutSecrets('', body, answer);
    expect(JSON.parse(kept.requestBody!)).toEqual({ displayName: { password: REDACTED }, description: 'x' });
    expect(JSON.parse(kept.responseBody!)).toEqual({
      error: { code: 'badRequest', message: `cannot convert the literal '{"password":"${REDACTED}"}' to the expected type 'Edm.String'.` },
      quoted: JSON.stringify({ message: `literal '{"password":"${REDACTED}"}'` }),
      plain: `${REDACTED} and hunter2`,
    });
  });

  it("redacts every string and number of a secret's value, a credential's token and a cookie's value in the answer", () => {
    const body = JSON.stringify({
      client_secret: { a: ['SEKL1', 98765], b: true },
      headers: { authorization: 'Bearer SEKTOKEN', cookie: 'sid=SEKCOOKIE; flag', 'proxy-authorization': ['SEKP'] },
    });
    const answer = JSON.stringify({ message: 'SEKL1 98765 SEKTOKEN SEKCOOKIE flag SEKP true Bearer sid' });
    expect(JSON.parse(withoutSecrets('', body, answer).responseBody!)).toEqual({
      message: `${REDACTED} ${REDACTED} ${REDACTED} ${REDACTED} ${REDACTED} ${REDACTED} true Bearer sid`,
    });
  });

  it("leaves the answer's names and escapes whole, however short the secret, and replaces the longest secret first", () => {
    const body = JSON.stringify({ password: 'n', nested: { password: 'id' }, access_token: 'idn2' });
    const answer = '{"id":"a\\nb","n":"idn2 id n","list":["\\\\n"]}';
    const kept = withoutSecrets('', body, answer).responseBody!;
    expect(kept).toBe(`{"id":"a\\nb","n":"${REDACTED} ${REDACTED} ${REDACTED}","list":["\\\\${REDACTED}"]}`);
    expect(JSON.parse(kept)).toEqual({ id: 'a\nb', n: `${REDACTED} ${REDACTED} ${REDACTED}`, list: [`\\${REDACTED}`] });
  });

  it('never touches the digits of a \\u escape, and reads a long run of backslashes in one pass', () => {
    // A control character is written as \u0001: a secret "0" or "1" must not cut into it.
    const control = JSON.stringify({ displayName: 'ctl\u0001x', note: 'code 01' });
    const kept = withoutSecrets('password=0', undefined, control).responseBody!;
    expect(JSON.parse(kept)).toEqual({ displayName: 'ctl\u0001x', note: `code ${REDACTED}1` });
    // A 400 quoting a literal of 100,000 backslashes escapes each twice: searched once, not once per position.
    const run = '\\'.repeat(100_000);
    const body = JSON.stringify({ displayName: { password: 'z', x: run } });
    const answer = JSON.stringify({ error: { message: `cannot convert the literal '${JSON.stringify({ password: 'z', x: run })}'` } });
    const redacted = JSON.parse(withoutSecrets('', body, answer).responseBody!);
    expect(redacted.error.message).toBe(`cannot convert the literal '${JSON.stringify({ password: REDACTED, x: run })}'`);
  });

  it('redacts a secret field of broken JSON whose value is no string, and a $batch item body given as text', () => {
    for (const [body, secret] of [
      ['{"password":98765432,}', '98765432'],
      ['{"client_secret":{"value":"hunter2xyz"},}', 'hunter2xyz'],
      ['{"password":["hunter2xyz"]', 'hunter2xyz'],
    ]) {
      const kept = withoutSecrets('', body, JSON.stringify({ message: `bad ${secret}` }));
      expect(kept.requestBody).not.toContain(secret);
      expect(kept.requestBody).toContain(`"${REDACTED}"`);
      expect(JSON.parse(kept.responseBody!)).toEqual({ message: `bad ${REDACTED}` });
    }
    const batch = JSON.stringify({
      requests: [
        { id: '1', method: 'POST', url: '/x', headers: { 'Content-Type': 'text/plain' }, body: 'client_secret=tx99&x=1' },
        { id: '2', method: 'POST', url: '/x', headers: { 'Content-Type': 'text/plain' }, body: '{"password":"tx77"}' },
      ],
    });
    const kept = JSON.parse(withoutSecrets('', batch, undefined).requestBody!);
    expect(kept.requests.map((r: { body: string }) => r.body)).toEqual([`client_secret=${REDACTED}&x=1`, `{"password":"${REDACTED}"}`]);
  });

  it("cuts a broken $batch body's item credentials, cookies and url secrets as a whole one's, a string cut at its end included", () => {
    const items =
      '{"requests":[{"id":"1","method":"GET","url":"/x?$top=1&access_token=SEKU1","headers":{"Authorization":"Bearer SEKA1","COOKIE":"a=SEKC1; b=SEKC2",' +
      '"Proxy-Authorization":{"t":"SEKP1"}}},{"id":"2","method":"POST","url":"/x","headers":{},"body":"client_secret=SEKB1&x=1"}]}';
    const expected =
      `{"requests":[{"id":"1","method":"GET","url":"/x?$top=1&access_token=${REDACTED}","headers":{"Authorization":"Bearer","COOKIE":"a; b",` +
      `"Proxy-Authorization":"${REDACTED}"}},{"id":"2","method":"POST","url":"/x","headers":{},"body":"client_secret=${REDACTED}&x=1"}]}`;
    const answer = JSON.stringify({ message: 'SEKU1 SEKA1 SEKC1 SEKC2 SEKP1 SEKB1' });
    // Cut before its end, followed by text, and cut inside the last string.
    for (const [body, kept] of [
      [items.slice(0, -2), expected.slice(0, -2)],
      [`${items} trailing`, `${expected} trailing`],
      [items.slice(0, items.indexOf('SEKB1') + 3), expected.slice(0, expected.indexOf(REDACTED, expected.indexOf('client_secret')) + REDACTED.length)],
    ]) {
      const result = withoutSecrets('', body, answer);
      expect(result.requestBody).toBe(kept);
      expect(result.requestBody).not.toMatch(/SEK/);
    }
    expect(JSON.parse(withoutSecrets('', items.slice(0, -2), answer).responseBody!)).toEqual({ message: Array(6).fill(REDACTED).join(' ') });
  });

  it("redacts a broken $batch body's item header named for a secret, its nesting unread: wherever such a field stands", () => {
    const items =
      '{"requests":[{"id":"1","method":"GET","url":"/x","headers":{"X-Api-Key":"SEKH1","X-Passwd":["SEKH2"],"Accept":"application/json"}},' +
      '{"id":"2","method":"GET","url":"/y","headers":{"Token":{"v":"SEKH3"}}}]}';
    const expected =
      `{"requests":[{"id":"1","method":"GET","url":"/x","headers":{"X-Api-Key":"${REDACTED}","X-Passwd":"${REDACTED}","Accept":"application/json"}},` +
      `{"id":"2","method":"GET","url":"/y","headers":{"Token":"${REDACTED}"}}]}`;
    const answer = JSON.stringify({ message: 'SEKH1 SEKH2 SEKH3' });
    for (const [body, kept] of [
      [`${items} trailing`, `${expected} trailing`],
      [items.slice(0, items.indexOf('SEKH1') + 3), expected.slice(0, expected.indexOf(REDACTED) + REDACTED.length)],
    ]) {
      const result = withoutSecrets('', body!, answer);
      expect(result.requestBody).toBe(kept);
    }
    expect(JSON.parse(withoutSecrets('', `${items} trailing`, answer).responseBody!)).toEqual({ message: `${REDACTED} ${REDACTED} ${REDACTED}` });
  });

  it("reads a JSON body that is one string as the body it holds: a $batch item's JSON body given as a string", () => {
    const inner = JSON.stringify({ displayName: 'q', password: 'SEKJ1' });
    const kept = withoutSecrets('', JSON.stringify(inner), JSON.stringify({ message: 'SEKJ1' }));
    expect(JSON.parse(kept.requestBody!)).toBe(JSON.stringify({ displayName: 'q', password: REDACTED }));
    expect(JSON.parse(kept.responseBody!)).toEqual({ message: REDACTED });
    // A form in a string too; a string without a secret is kept as sent.
    expect(JSON.parse(withoutSecrets('', JSON.stringify('client_secret=SEKJ2&x=1'), undefined).requestBody!)).toBe(`client_secret=${REDACTED}&x=1`);
    const plain = JSON.stringify('a password-free text');
    expect(withoutSecrets('', plain, undefined).requestBody).toBe(plain);
  });

  it("redacts the secrets of a $batch item's base64url body (a form) and encodes it again, leaving other encoded bodies as sent", () => {
    const form = (text: string) => Buffer.from(text, 'latin1').toString('base64url');
    const batch = (contentType: string, body: string) =>
      JSON.stringify({ requests: [{ id: '1', method: 'POST', url: '/x', headers: { 'content-TYPE': contentType }, body }] });
    const sent = batch('application/x-www-form-urlencoded', form('displayName=x&client_secret=SEKE1&password=SEKE2\xe9'));
    const kept = withoutSecrets('', sent, JSON.stringify({ message: 'SEKE1' }));
    const body = JSON.parse(kept.requestBody!).requests[0].body as string;
    expect(Buffer.from(body, 'base64url').toString('latin1')).toBe(`displayName=x&client_secret=${REDACTED}&password=${REDACTED}`);
    expect(JSON.parse(kept.responseBody!)).toEqual({ message: REDACTED });
    for (const same of [batch('application/x-www-form-urlencoded', form('displayName=x')), batch('text/plain', form('password=SEKE3'))]) {
      expect(withoutSecrets('', same, undefined).requestBody).toBe(same);
    }
  });

  it('keeps what holds no secret exactly as sent, escapes and alphabets included, and redacts what the edge cases hold', () => {
    // A secret field whose value is null, false or a number: REDACTED, nothing thrown.
    expect(JSON.parse(withoutSecrets('', '{"password":null,"client_secret":false,"x":{"assertion":7}}', undefined).requestBody!)).toEqual({
      password: REDACTED,
      client_secret: REDACTED,
      x: { assertion: REDACTED },
    });
    // A member named __proto__ is a member like any other, kept and redacted within, in the body and the answer.
    const proto = withoutSecrets('', '{"__proto__":{"password":"SEKP7"},"x":1}', '{"__proto__":{"echo":"SEKP7"}}');
    expect([proto.requestBody, proto.responseBody]).toEqual([`{"__proto__":{"password":"${REDACTED}"},"x":1}`, `{"__proto__":{"echo":"${REDACTED}"}}`]);
    // A form whose values hold brackets is a form, not broken JSON: its pairs are read.
    expect(withoutSecrets('', 'displayName={x}&client_secret=SEKF9&y=[1]', undefined).requestBody).toBe(`displayName={x}&client_secret=${REDACTED}&y=[1]`);
    // JSON in a string without a secret, its escapes as sent; broken JSON whose url has none, its escapes as sent.
    const escaped = '"caf\\u00e9 100%"';
    expect(withoutSecrets('', escaped, undefined).requestBody).toBe(escaped);
    const broken = '{"requests":[{"url":"\\/x?$top=1%20","headers":{" Cookie ":"a=SEKC9"}}';
    expect(withoutSecrets('', broken, undefined).requestBody).toBe('{"requests":[{"url":"\\/x?$top=1%20","headers":{" Cookie ":"a"}}');
    // An encoded body without a secret stays in its own alphabet and padding, though it holds a `%`; one sent with
    // spaces around its colon is read too.
    const item = (body: string, spaced = false) =>
      `{"requests":[{"id":"1","headers":{"Content-Type":"application/x-www-form-urlencoded"},"body"${spaced ? ' : ' : ':'}"${body}"}]}`;
    const plain = Buffer.from('a=100%25&b=>>?').toString('base64');
    expect(withoutSecrets('', item(plain), undefined).requestBody).toBe(item(plain));
    const secret = withoutSecrets('', item(Buffer.from('password=SEKS9').toString('base64url'), true), undefined).requestBody!;
    expect(Buffer.from(JSON.parse(secret).requests[0].body, 'base64url').toString()).toBe(`password=${REDACTED}`);
    // Headers that are not an object, and a body that is not a string, leave the item as sent.
    for (const odd of ['{"requests":[{"headers":null,"body":"cGFzc3dvcmQ9eA"}]}', '{"requests":[{"headers":{"content-type":"a/b"},"body":7}]}']) {
      expect(withoutSecrets('', odd, undefined).requestBody).toBe(odd);
    }
  });

  it("redacts a query's and a form's secret values, as sent and decoded, where the answer quotes them", () => {
    const answer = JSON.stringify({ message: "the values 'SEK Q1', 'SEK+Q1', 'SEKF%31' and 'SEKF1' are wrong" });
    const kept = withoutSecrets('access_token=SEK+Q1', 'password=SEKF%31', answer);
    expect(JSON.parse(kept.responseBody!)).toEqual({ message: `the values '${REDACTED}', '${REDACTED}', '${REDACTED}' and '${REDACTED}' are wrong` });
    // Broken JSON: the secret field's value as decoded.
    const broken = withoutSecrets('', '{"password":"SEK\\u0042R", ', JSON.stringify({ message: 'SEKBR' }));
    expect(JSON.parse(broken.responseBody!)).toEqual({ message: REDACTED });
  });

  it('redacts the secrets of an answer that is not JSON as sent, and keeps an answer when the request held none', () => {
    expect(withoutSecrets('', JSON.stringify({ password: 'a"b' }), 'text a"b a\\"b').responseBody).toBe(`text ${REDACTED} ${REDACTED}`);
    const answer = JSON.stringify({ message: 'the password hunter2' });
    expect(withoutSecrets('', JSON.stringify({ note: 'the password hunter2' }), answer).responseBody).toBe(answer);
  });

  it("redacts a secret named with a query option's `$`, as sent or percent-encoded, as the same name without it", () => {
    expect(withoutSecrets('$client_secret=SEKD1&%24access_token=SEKD2&$top=1&$PASSWORD[]=SEKD3', undefined, undefined).query).toBe(
      `$client_secret=${REDACTED}&%24access_token=${REDACTED}&$top=1&$PASSWORD[]=${REDACTED}`,
    );
    const batch = JSON.stringify({ requests: [{ id: '1', method: 'GET', url: '/beta/x?$client_secret=SEKD4' }] });
    expect(JSON.parse(withoutSecrets('', batch, undefined).requestBody!).requests[0].url).toBe(`/beta/x?$client_secret=${REDACTED}`);
    // A name with spaces around it (`+` in a query) is the same name.
    expect(withoutSecrets('+$password+=SEKD5&+client_secret=SEKD6', undefined, undefined).query).toBe(`+$password+=${REDACTED}&+client_secret=${REDACTED}`);
    // A name that only starts like one stays.
    expect(withoutSecrets('$passwords=kept&$$password=kept', undefined, undefined).query).toBe('$passwords=kept&$$password=kept');
  });

  it("redacts a Referer's secret parameters after a #, and a URL's userinfo password, on the wire and in a $batch item's url", () => {
    expect(
      keptRequestHeaders([
        'Referer',
        'http://localhost:5173/callback#access_token=SEKR1&token_type=Bearer',
        'referer',
        'http://user:SEKR2@localhost:5173/p?x=1#id_token=SEKR3',
      ]).split('\n'),
    ).toEqual([
      'Referer',
      `http://localhost:5173/callback#access_token=${REDACTED}&token_type=Bearer`,
      'referer',
      `http://user:${REDACTED}@localhost:5173/p?x=1#id_token=${REDACTED}`,
    ]);
    // A query before a fragment (a `#` after a secret's value is taken as part of it, as in a query), a fragment
    // before a `?` in its own text: each read from where its parameters start.
    expect(keptRequestHeaders(['Referer', 'http://h/p?access_token=SEKR5#section', 'Referer', 'http://h/cb#access_token=SEKR6&state=a?b']).split('\n')).toEqual(
      ['Referer', `http://h/p?access_token=${REDACTED}`, 'Referer', `http://h/cb#access_token=${REDACTED}&state=a?b`],
    );
    // A user without a password, or with an empty one, an `@` in a path, and a fragment without a secret stay as sent.
    expect(keptRequestHeaders(['Referer', 'http://user:@localhost/x'])).toBe('Referer\nhttp://user:@localhost/x');
    const plain = ['Referer', 'http://user@localhost:5173/a@b#section=2'];
    expect(keptRequestHeaders(plain)).toBe(plain.join('\n'));
    const batch = JSON.stringify({ requests: [{ id: '1', method: 'GET', url: 'https://u:SEKR4@graph.microsoft.com/beta/x' }] });
    const kept = withoutSecrets('', batch, JSON.stringify({ error: { message: "'https://u:SEKR4@graph.microsoft.com/beta/x' is no relative URL" } }));
    expect(JSON.parse(kept.requestBody!).requests[0].url).toBe(`https://u:${REDACTED}@graph.microsoft.com/beta/x`);
    expect(kept.responseBody).not.toContain('SEKR4');
  });

  it('reads a body nested deeper than the journal shows as text, taking its secrets out without a level of the stack each', () => {
    const deep = `{"password":"SEKN1","a":${'['.repeat(5000)}${']'.repeat(5000)},"client_secret":"SEKN2"}`;
    const kept = withoutSecrets('', deep, JSON.stringify({ message: 'SEKN1' }));
    expect(kept.requestBody).toBe(deep.replace('SEKN1', REDACTED).replace('SEKN2', REDACTED));
    expect(kept.responseBody).toBe(JSON.stringify({ message: REDACTED }));
    // Within the depth the journal shows, the body is read as JSON and written again.
    const shallow = `{"a":${'['.repeat(200)}{"password":"SEKN3"}${']'.repeat(200)}}`;
    expect(withoutSecrets('', shallow, undefined).requestBody).toBe(shallow.replace('"SEKN3"', `"${REDACTED}"`));
  });
});
