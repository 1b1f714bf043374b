import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadFaultsFile } from '../../server/faults/file.js';
import { helpText, loadConfig } from '../../server/config.js';
import { allowedHostNames, hostAllowed } from '../../server/http/hostCheck.js';
import { ConfigError } from '../../server/errors.js';

describe('loadConfig', () => {
  it('has a default for every setting', () => {
    expect(loadConfig([], {}).config).toEqual({
      port: 4000,
      host: '127.0.0.1',
      dataFile: 'data/db.json',
      auth: 'bearer',
      corsOrigins: [],
      bodyLimit: 1048576,
      baseUrl: undefined,
      seed: 42,
      maxTenants: 1000,
      pageSize: 100,
      allowedHosts: [],
      adminToken: undefined,
      faultHeader: true,
      configFile: undefined,
      logLevel: 'info',
      logFormat: 'auto',
      https: false,
      tlsCert: undefined,
      tlsKey: undefined,
      fixtures: 'small',
      referenceDate: undefined,
      clientRoles: { '*': ['EntitlementManagement.ReadWrite.All'] },
      journal: true,
      journalSize: 1000,
    });
  });

  it('reads the request journal settings and refuses a size out of bounds', () => {
    expect(loadConfig(['--journal', 'off', '--journal-size', '50'], {}).config).toMatchObject({ journal: false, journalSize: 50 });
    expect(loadConfig([], { JOURNAL: 'false', JOURNAL_SIZE: '100000' }).config).toMatchObject({ journal: false, journalSize: 100000 });
    expect(() => loadConfig(['--journal-size', '0'], {})).toThrow("--journal-size must be a whole number from 1 to 100000; got '0'.");
    expect(() => loadConfig([], { JOURNAL: 'maybe' })).toThrow("JOURNAL must be on or off; got 'maybe'.");
  });

  it('takes on/off, true/false, yes/no and 1/0 for the on/off switches and names on or off when refusing', () => {
    for (const [raw, value] of [
      ['on', true],
      ['OFF', false],
      ['true', true],
      ['false', false],
      ['yes', true],
      ['no', false],
      ['1', true],
      ['0', false],
    ] as const) {
      expect(loadConfig([], { JOURNAL: raw, FAULT_HEADER: raw }).config).toMatchObject({ journal: value, faultHeader: value });
    }
    expect(() => loadConfig(['--journal', 'maybe'], {})).toThrow("--journal must be on or off; got 'maybe'.");
    expect(() => loadConfig(['--config', 'c.json'], {}, () => '{"journal":"maybe"}')).toThrow("journal in c.json must be on or off; got 'maybe'.");
    // HTTPS is documented as true or false (a flag without a value means true): its message stays so.
    expect(() => loadConfig([], { HTTPS: 'maybe' })).toThrow("HTTPS must be true or false; got 'maybe'.");
  });

  it('reads a config file that starts with a UTF-8 byte order mark, as Notepad and PowerShell write it (RFC 8259 §8.1)', () => {
    expect(loadConfig(['--config', 'c.json'], {}, () => '\uFEFF{"port": 4100, "journal": "off"}').config).toMatchObject({ port: 4100, journal: false });
  });

  it.each([
    ['UTF-16LE', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"port": 4100}', 'utf16le')])],
    ['UTF-16BE', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('{"port": 4100}', 'utf16le').swap16()])],
  ])('refuses a config or faults file saved as %s (PowerShell 5) saying it must be UTF-8, not naming a token', (_encoding, bytes) => {
    const folder = mkdtempSync(path.join(tmpdir(), 'utf16-'));
    try {
      const file = path.join(folder, 'settings.json');
      writeFileSync(file, bytes);
      const message = (label: string) =>
        `The ${label} ${file} is not UTF-8: it starts with a UTF-16 byte order mark (PowerShell 5's Out-File and Notepad's "Unicode" save it so). Save it as UTF-8 (PowerShell: Out-File -Encoding utf8).`;
      expect(() => loadConfig(['--config', file], {})).toThrow(new ConfigError(message('config file')));
      expect(() => loadFaultsFile(file)).toThrow(new ConfigError(message('faults file')));
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('refuses a config or faults file saved in Windows-1252, naming the first byte that is no UTF-8, not reading U+FFFD in its place', () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'ansi-'));
    try {
      const file = path.join(folder, 'settings.json');
      writeFileSync(file, Buffer.from('{"fixtures": "café.json"}', 'latin1'));
      const message = (label: string) =>
        `The ${label} ${file} is not UTF-8: the byte 0xE9 at offset 17 is no UTF-8 character (saved in another encoding, such as Windows-1252). Save it as UTF-8.`;
      expect(() => loadConfig(['--config', file], {})).toThrow(new ConfigError(message('config file')));
      expect(() => loadFaultsFile(file)).toThrow(new ConfigError(message('faults file')));
      // As UTF-8 the same settings are read whole.
      writeFileSync(file, '{"fixtures": "café.json"}');
      expect(loadConfig(['--config', file], {}).config.fixtures).toBe('café.json');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('takes a flag over the environment over the default', () => {
    expect(loadConfig([], { PORT: '5000' }).config.port).toBe(5000);
    expect(loadConfig(['--port', '6000'], { PORT: '5000' }).config.port).toBe(6000);
    expect(loadConfig(['--port=7000'], { PORT: '5000' }).config.port).toBe(7000);
    expect(loadConfig([], { PORT: '' }).config.port).toBe(4000);
  });

  it.each([
    [['--data', ':memory:'], {}, 'dataFile', ':memory:'],
    [[], { AUTH: 'NONE' }, 'auth', 'none'],
    [['--auth', 'strict'], {}, 'auth', 'strict'],
    [
      [],
      { CLIENT_ROLES: 'backend=EntitlementManagement.ReadWrite.All User.Read.All, reader=EntitlementManagement.Read.All,*=' },
      'clientRoles',
      {
        backend: ['EntitlementManagement.ReadWrite.All', 'User.Read.All'],
        reader: ['EntitlementManagement.Read.All'],
        '*': [],
      },
    ],
    [
      [],
      { CLIENT_ROLES: '{"backend": ["EntitlementManagement.Read.All"], "other": "A B"}' },
      'clientRoles',
      { backend: ['EntitlementManagement.Read.All'], other: ['A', 'B'] },
    ],
    [[], { CORS_ORIGINS: 'http://localhost:3000, https://app.contoso.com' }, 'corsOrigins', ['http://localhost:3000', 'https://app.contoso.com']],
    [[], { CORS_ORIGINS: '*' }, 'corsOrigins', '*'],
    // Kept as a browser sends its page's Origin: default port dropped, host lower-cased and in punycode.
    [
      [],
      { CORS_ORIGINS: 'https://Dev.Example.test:443,http://app.example.test:80,https://bücher.example' },
      'corsOrigins',
      ['https://dev.example.test', 'http://app.example.test', 'https://xn--bcher-kva.example'],
    ],
    // The scheme is matched as any URL's, whatever its case (RFC 3986 §3.1), and written in lower case as the host is.
    [[], { CORS_ORIGINS: 'HTTPS://App.example.test,Http://localhost:3000' }, 'corsOrigins', ['https://app.example.test', 'http://localhost:3000']],
    // Blanks around an entry and empty entries (a trailing comma) are no origins, and left out.
    [[], { CORS_ORIGINS: ' https://a.example.test, ,https://b.example.test,' }, 'corsOrigins', ['https://a.example.test', 'https://b.example.test']],
    [[], { ALLOWED_HOSTS: 'graph, .Example.Test' }, 'allowedHosts', ['graph', '.example.test']],
    [[], { ALLOWED_HOSTS: 'graph,*' }, 'allowedHosts', '*'],
    [['--admin-token', 's3cret'], {}, 'adminToken', 's3cret'],
    [['--admin-token=--s3cret', '--port', '0'], {}, 'adminToken', '--s3cret'],
    // An IPv6 address as a URL writes it, as the docs do: listen() takes it without brackets.
    [['--host', '[::1]'], {}, 'host', '::1'],
    [[], { HOST: ' [::] ' }, 'host', '::'],
    [[], { HOST: '::1' }, 'host', '::1'],
    // Only brackets around the whole value are a URL's: anything else is a host name, for listen() to resolve.
    [['--host', 'x[::1]'], {}, 'host', 'x[::1]'],
    [['--host', '[::1]x'], {}, 'host', '[::1]x'],
    // A switch takes no value: the option after it, or none, leaves it on.
    [['--https', '--port', '0'], {}, 'https', true],
    [['--port', '0', '--https'], {}, 'https', true],
    [['--admin-token', '-s3cret'], {}, 'adminToken', '-s3cret'],
    [[], { FAULT_HEADER: 'off' }, 'faultHeader', false],
    [[], { BODY_LIMIT: '512kb' }, 'bodyLimit', 524288],
    [['--body-limit', '2MB'], {}, 'bodyLimit', 2097152],
    [[], { BODY_LIMIT: '100mb' }, 'bodyLimit', 104857600],
    [[], { BASE_URL: 'https://graph.local:8443/' }, 'baseUrl', 'https://graph.local:8443'],
    [[], { BASE_URL: 'https://Graph.Local:443/Proxy/é//' }, 'baseUrl', 'https://graph.local/Proxy/%C3%A9'],
    [[], { SEED: '7' }, 'seed', 7],
    [['--page-size', '999'], {}, 'pageSize', 999],
    [[], { PAGE_SIZE: '1' }, 'pageSize', 1],
    [[], { FIXTURES: 'paging' }, 'fixtures', 'paging'],
    [['--fixtures', 'empty'], { FIXTURES: 'paging' }, 'fixtures', 'empty'],
    [['--fixtures', 'fixtures/mine.json'], {}, 'fixtures', 'fixtures/mine.json'],
    [[], { REFERENCE_DATE: '2026-11-01' }, 'referenceDate', '2026-11-01T00:00:00.000Z'],
    [['--reference-date', '2026-11-01T09:30:00+02:00'], { REFERENCE_DATE: '2025-01-01' }, 'referenceDate', '2026-11-01T07:30:00.000Z'],
  ])('parses %j %j into %s', (argv, env, key, value) => {
    expect(loadConfig(argv, env).config[key as keyof ReturnType<typeof loadConfig>['config']]).toEqual(value);
  });

  it.each([
    [['--port', 'abc'], {}, "--port must be a whole number from 0 to 65535; got 'abc'."],
    [[], { PORT: '70000' }, "PORT must be a whole number from 0 to 65535; got '70000'."],
    [[], { AUTH: 'jwt' }, "AUTH must be one of bearer, strict, none; got 'jwt'."],
    [[], { BODY_LIMIT: 'lots' }, "BODY_LIMIT must be a size such as 1mb, 512kb or 1048576; got 'lots'."],
    // A body is decoded into one string: past V8's largest string (2^29 - 24 characters) the process stopped.
    [[], { BODY_LIMIT: '1gb' }, "BODY_LIMIT must be at most 100mb (104857600 bytes); got '1gb'."],
    [['--body-limit', '104857601'], {}, "--body-limit must be at most 100mb (104857600 bytes); got '104857601'."],
    [[], { CORS_ORIGINS: 'localhost' }, "CORS_ORIGINS: 'localhost' is not an origin like http://localhost:3000."],
    // Neither names a page's origin: a browser never sends one of them, so the page would be refused unsaid.
    [[], { CORS_ORIGINS: 'https://*.example.test' }, "CORS_ORIGINS: 'https://*.example.test' is a pattern; list each origin, or * alone for any page."],
    [[], { CORS_ORIGINS: 'https://user@app.example.test' }, "CORS_ORIGINS: 'https://user@app.example.test' is not an origin like http://localhost:3000."],
    [[], { CORS_ORIGINS: 'https://app.example.test?x=1' }, "CORS_ORIGINS: 'https://app.example.test?x=1' is not an origin like http://localhost:3000."],
    [[], { CORS_ORIGINS: 'https://app.example.test#x' }, "CORS_ORIGINS: 'https://app.example.test#x' is not an origin like http://localhost:3000."],
    [[], { CORS_ORIGINS: 'https://app.example.test:65536' }, "CORS_ORIGINS: 'https://app.example.test:65536' is not an origin like http://localhost:3000."],
    [[], { CORS_ORIGINS: ' , ' }, "CORS_ORIGINS must be * or a comma-separated list of origins; got ' , '."],
    [[], { CORS_ORIGINS: 'https://app.example.test/' }, "CORS_ORIGINS: 'https://app.example.test/' is not an origin like http://localhost:3000."],
    // The URL parser would drop the tab, and read blob:'s inner origin: neither is a page's Origin as written.
    [[], { CORS_ORIGINS: 'https://app\t.example.test' }, "CORS_ORIGINS: 'https://app\t.example.test' is not an origin like http://localhost:3000."],
    [[], { CORS_ORIGINS: 'blob:https://app.example.test' }, "CORS_ORIGINS: 'blob:https://app.example.test' is not an origin like http://localhost:3000."],
    [
      [],
      { ALLOWED_HOSTS: 'http://graph:4000' },
      "ALLOWED_HOSTS: 'http://graph:4000' is not a host name like graph or emulator.example.test (no scheme, no port).",
    ],
    [[], { FAULT_HEADER: 'sometimes' }, "FAULT_HEADER must be on or off; got 'sometimes'."],
    [[], { BASE_URL: 'ftp://x' }, "BASE_URL must be an absolute http(s) URL; got 'ftp://x'."],
    // Read as the file `data`, a missing folder became a data file of its name.
    [[], { DATA_FILE: 'data/' }, "DATA_FILE must name a file, not a folder; got 'data/'. Name the file in it, such as data/db.json."],
    [['--data', '/srv/emulator/'], {}, "--data must name a file, not a folder; got '/srv/emulator/'. Name the file in it, such as /srv/emulator/db.json."],
    // A last segment `.` or `..` names a folder as well: data/. on a missing folder became the data file `data`.
    [[], { DATA_FILE: 'data/.' }, "DATA_FILE must name a file, not a folder; got 'data/.'. Name the file in it, such as data/./db.json."],
    [[], { DATA_FILE: 'x/data/..' }, "DATA_FILE must name a file, not a folder; got 'x/data/..'. Name the file in it, such as x/data/../db.json."],
    [[], { DATA_FILE: '.' }, "DATA_FILE must name a file, not a folder; got '.'. Name the file in it, such as ./db.json."],
    // Location and nextLinks are BASE_URL followed by the path: each of these broke every one of them.
    [
      [],
      { BASE_URL: 'https://graph.example.test/api?x=1' },
      "BASE_URL must be an origin and a path, without a query or a fragment ('?', '#'): Location and nextLinks are built on it; got 'https://graph.example.test/api?x=1'.",
    ],
    [
      [],
      { BASE_URL: 'https://graph.example.test#top' },
      "BASE_URL must be an origin and a path, without a query or a fragment ('?', '#'): Location and nextLinks are built on it; got 'https://graph.example.test#top'.",
    ],
    [
      [],
      { BASE_URL: 'https://me:secret@graph.example.test' },
      "BASE_URL must be an origin and a path, without a user name or password: Location and nextLinks are built on it; got 'https://me:secret@graph.example.test'.",
    ],
    [
      [],
      { BASE_URL: 'https://graph.example.test/a\r\nSet-Cookie: x=1' },
      "BASE_URL must be an origin and a path, without spaces or control characters: Location and nextLinks are built on it; got 'https://graph.example.test/a\\r\\nSet-Cookie: x=1'.",
    ],
    [
      [],
      { BASE_URL: 'https://graph.example.test/my api' },
      "BASE_URL must be an origin and a path, without spaces or control characters: Location and nextLinks are built on it; got 'https://graph.example.test/my api'.",
    ],
    // HTTPS said off, a certificate said to serve it: neither is chosen for the user.
    [
      [],
      { HTTPS: 'false', TLS_CERT: 'cert.pem', TLS_KEY: 'key.pem' },
      '--https (HTTPS) is false, but --tls-cert and --tls-key (TLS_CERT, TLS_KEY) name a certificate to serve over HTTPS: leave out one or the other.',
    ],
    [['--verbose'], {}, "Unknown option '--verbose'. Run with --help to see the options."],
    [['--port'], {}, 'Option --port needs a value.'],
    [['--host', '[localhost]'], {}, "--host must be a host name or an IP address; brackets hold an IPv6 address only, such as [::1]; got '[localhost]'."],
    [[], { HOST: '[127.0.0.1]' }, "HOST must be a host name or an IP address; brackets hold an IPv6 address only, such as [::1]; got '[127.0.0.1]'."],
    // A forgotten value: the next option is not taken as one (a data file named '--log-level', an admin token '--https').
    [
      ['--data', '--log-level', 'debug'],
      {},
      "Option --data needs a value, and '--log-level' is an option. A value that starts with -- is written --data=--log-level.",
    ],
    [
      ['--admin-token', '--https'],
      {},
      "Option --admin-token needs a value, and '--https' is an option. A value that starts with -- is written --admin-token=--https.",
    ],
    // A token no client can send as it is (HTTP trims a header's ends, has no line breaks, and reads bytes as Latin-1):
    // the admin API would refuse every request. Never quoted: it is a secret.
    [
      [],
      { ADMIN_TOKEN: ' s3cret' },
      'ADMIN_TOKEN must be what an Authorization header carries as it is: printable ASCII, spaces only between other characters (the value is not shown, being a secret).',
    ],
    [
      ['--admin-token', 's3c\nret'],
      {},
      '--admin-token must be what an Authorization header carries as it is: printable ASCII, spaces only between other characters (the value is not shown, being a secret).',
    ],
    [
      [],
      { ADMIN_TOKEN: 's\u00e9cret\u20ac' },
      'ADMIN_TOKEN must be what an Authorization header carries as it is: printable ASCII, spaces only between other characters (the value is not shown, being a secret).',
    ],
    [[], { PAGE_SIZE: '1000' }, "PAGE_SIZE must be a whole number from 1 to 999; got '1000'."],
    [['--page-size', '0'], {}, "--page-size must be a whole number from 1 to 999; got '0'."],
    [[], { FIXTURES: 'huge' }, "FIXTURES must be one of empty, small, paging or a path to a .json file of records; got 'huge'."],
    [
      [],
      { REFERENCE_DATE: '2026-11-01T09:30:00' },
      "REFERENCE_DATE must be a date such as 2026-11-01 or a date-time with its offset such as 2026-11-01T09:30:00Z, from 1970 to 9999 in UTC; got '2026-11-01T09:30:00'.",
    ],
    [
      ['--reference-date', '1970-01-01T00:00:00+14:00'],
      {},
      "--reference-date must be a date such as 2026-11-01 or a date-time with its offset such as 2026-11-01T09:30:00Z, from 1970 to 9999 in UTC; got '1970-01-01T00:00:00+14:00'.",
    ],
    [
      [],
      { CLIENT_ROLES: 'EntitlementManagement.Read.All' },
      "CLIENT_ROLES must be a comma-separated list of clientId=Role Role (or *=Role); got 'EntitlementManagement.Read.All'.",
    ],
    [[], { CLIENT_ROLES: ' , ' }, 'CLIENT_ROLES must name at least one client (clientId=Role, or *=Role for any client).'],
    [[], { CLIENT_ROLES: '{"backend": [1]}' }, "CLIENT_ROLES: the roles of 'backend' must be a string or a list of strings."],
    [[], { CLIENT_ROLES: '{backend' }, /^CLIENT_ROLES is not valid JSON: /],
  ])('refuses %j %j with a message naming the setting', (argv, env, message) => {
    expect(() => loadConfig(argv, env)).toThrow(ConfigError);
    expect(() => loadConfig(argv, env)).toThrow(message);
  });

  it('recognises --help and --version, and the help lists every setting', () => {
    expect(loadConfig(['--help'], {}).help).toBe(true);
    expect(loadConfig(['--version'], {}).version).toBe(true);
    for (const name of [
      'PORT',
      'HOST',
      'DATA_FILE',
      'AUTH',
      'CORS_ORIGINS',
      'BODY_LIMIT',
      'SEED',
      'PAGE_SIZE',
      'FIXTURES',
      'REFERENCE_DATE',
      'CLIENT_ROLES',
      'ALLOWED_HOSTS',
      'ADMIN_TOKEN',
      'FAULT_HEADER',
      '--data <value>',
    ]) {
      expect(helpText()).toContain(name);
    }
  });

  it('names every Host the check always accepts in the help of --allowed-hosts', () => {
    const names = allowedHostNames({ boundHost: 'devbox.lan', baseUrl: 'https://emulator.example.test' });
    expect([hostAllowed('app.localhost', names), hostAllowed('devbox.lan', names)]).toEqual([true, true]);
    const row = helpText()
      .split('\n')
      .find((line) => line.includes('--allowed-hosts'));
    expect(row).toContain('besides localhost and *.localhost, IP addresses, this machine, the bound host and BASE_URL');
  });

  it('sets each meaning apart from its variable by two spaces or more, all starting in one column', () => {
    const rows = helpText()
      .split('\n')
      .filter((line) => /^ {2}--/.test(line) || line.startsWith('  flag'));
    const columns = rows.map((line) => /^ {2}\S+(?: <value>)? +(?:[A-Z_]+ {2,}|environment {2,}| {2,})/.exec(line)?.[0].length);
    expect(columns.every((column) => column !== undefined)).toBe(true);
    expect(new Set(columns).size).toBe(1);
  });
});
