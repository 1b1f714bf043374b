// startEmulator's options go through the parsers of the command line: a bad value is refused with the same
// wording, naming the option as the library spells it; what the library documents stays accepted.
import { describe, expect, it } from '@jest/globals';
import { checkAppOptions } from '../../server/appOptions.js';
import { settingDefault, settingsFromOptions } from '../../server/config.js';
import { ConfigError } from '../../server/errors.js';
import { SETTINGS } from '../../server/settings.js';
import { MemoryStore } from '../../server/store/memoryStore.js';

describe('settingsFromOptions', () => {
  it.each([
    [{ journalSize: 0 }, "journalSize must be a whole number from 1 to 100000; got '0'."],
    [{ journalSize: -1 }, "journalSize must be a whole number from 1 to 100000; got '-1'."],
    [{ journalSize: 1.5 }, "journalSize must be a whole number from 1 to 100000; got '1.5'."],
    [{ journalSize: 200000 }, "journalSize must be a whole number from 1 to 100000; got '200000'."],
    [{ journalSize: Number.NaN }, "journalSize must be a whole number from 1 to 100000; got 'NaN'."],
    [{ journal: 'maybe' }, "journal must be on or off; got 'maybe'."],
    [{ journal: null }, 'journal must be a string or a boolean; got null.'],
    [{ faultHeader: 'sometimes' }, "faultHeader must be on or off; got 'sometimes'."],
    [{ https: 'maybe' }, "https must be true or false; got 'maybe'."],
    [{ port: 70000 }, "port must be a whole number from 0 to 65535; got '70000'."],
    [{ port: [4000] }, 'port must be a number; got a list.'],
    [{ pageSize: 1000 }, "pageSize must be a whole number from 1 to 999; got '1000'."],
    [{ seed: -7 }, "seed must be a whole number from 0 to 2147483647; got '-7'."],
    [{ maxTenants: 0 }, "maxTenants must be a whole number from 1 to 100000; got '0'."],
    [{ bodyLimit: 0 }, "bodyLimit must be at least 1 byte; got '0'."],
    [{ bodyLimit: 'lots' }, "bodyLimit must be a size such as 1mb, 512kb or 1048576; got 'lots'."],
    [{ auth: 'jwt' }, "auth must be one of bearer, strict, none; got 'jwt'."],
    [{ logLevel: 'loud' }, "logLevel must be one of fatal, error, warn, info, debug, trace, silent; got 'loud'."],
    [{ logFormat: 'xml' }, "logFormat must be one of auto, json, pretty; got 'xml'."],
    [{ fixtures: 'huge' }, "fixtures must be one of empty, small, paging or a path to a .json file of records; got 'huge'."],
    [{ host: '' }, 'host must not be empty.'],
    [{ dataFile: ' ' }, 'dataFile must not be empty.'],
    [{ adminToken: null }, 'adminToken must be a string; got null.'],
    [{ baseUrl: 'ftp://x' }, "baseUrl must be an absolute http(s) URL; got 'ftp://x'."],
    [{ corsOrigins: ['localhost'] }, "corsOrigins: 'localhost' is not an origin like http://localhost:3000."],
    [{ allowedHosts: 'http://graph:4000' }, "allowedHosts: 'http://graph:4000' is not a host name like graph or emulator.example.test (no scheme, no port)."],
    [
      { referenceDate: '2026-02-30' },
      "referenceDate must be a date such as 2026-11-01 or a date-time with its offset such as 2026-11-01T09:30:00Z, from 1970 to 9999 in UTC; got '2026-02-30'.",
    ],
    [{ clientRoles: { reader: 5 } }, "clientRoles: the roles of 'reader' must be a string or a list of strings."],
    [{ tlsCert: 'cert.pem' }, 'tlsCert and tlsKey must be given together.'],
    [
      { https: false, tlsCert: 'cert.pem', tlsKey: 'key.pem' },
      'https is false, but tlsCert and tlsKey name a certificate to serve over HTTPS: leave out one or the other.',
    ],
  ] as [Record<string, unknown>, string][])('refuses %j: %s', (options, message) => {
    expect(() => settingsFromOptions(options)).toThrow(new ConfigError(message));
    expect(() => settingsFromOptions(options)).toThrow(ConfigError);
  });

  it('keeps what the library documents and takes a value as the command line would', () => {
    const kept = {
      journal: false,
      journalSize: 50,
      dataFile: ':memory:',
      port: 0,
      seed: 7,
      fixtures: 'small',
      auth: 'strict',
      https: true,
      logLevel: 'debug',
      corsOrigins: [],
      allowedHosts: ['graph', '.example.test'],
      bodyLimit: 2048,
      clientRoles: { reader: ['EntitlementManagement.Read.All'], '*': [] },
      adminToken: 'ci-secret',
    };
    // Every value as given, but those the command line normalises: a base URL's trailing slash, a date's time.
    expect(settingsFromOptions({ ...kept, baseUrl: 'https://graph.example.test/', referenceDate: '2026-11-01' })).toEqual({
      ...kept,
      baseUrl: 'https://graph.example.test',
      referenceDate: '2026-11-01T00:00:00.000Z',
    });
    // The config file's forms: on/off switches as text, sizes as text, lists as one comma-separated string.
    expect(settingsFromOptions({ journal: 'off', faultHeader: 'off', bodyLimit: '1mb', corsOrigins: '*', journalSize: 100000 })).toEqual({
      journal: false,
      faultHeader: false,
      bodyLimit: 1024 * 1024,
      corsOrigins: '*',
      journalSize: 100000,
    });
    // A certificate implies HTTPS, as --tls-cert does.
    expect(settingsFromOptions({ tlsCert: 'cert.pem', tlsKey: 'key.pem' })).toEqual({ tlsCert: 'cert.pem', tlsKey: 'key.pem', https: true });
  });

  it.each([
    [{ fixture: 'small' }, "Unknown option 'fixture': the options are the keys of the configuration table (docs/configuration.md), faults and logger."],
    [{ constructor: 1 }, "Unknown option 'constructor': the options are the keys of the configuration table (docs/configuration.md), faults and logger."],
    [{ configFile: 'emulator.json' }, 'configFile is not an option here: give its settings as options.'],
  ] as [Record<string, unknown>, string][])('refuses %j, which would start without the setting meant', (options, message) => {
    expect(() => settingsFromOptions(options)).toThrow(new ConfigError(message));
  });

  it('leaves out an option set to undefined, so the library default stays', () => {
    expect(settingsFromOptions({ port: undefined, fixtures: undefined, journalSize: undefined })).toEqual({});
  });
});

describe("createApp's defaults", () => {
  it("are the configuration table's, as the command line starts with them", () => {
    const checked = checkAppOptions({ store: new MemoryStore() });
    const defaults = Object.fromEntries(SETTINGS.map((s) => [s.key, s.defaultValue]));
    expect({
      auth: checked.auth,
      corsOrigins: checked.corsOrigins,
      bodyLimit: checked.bodyLimit,
      pageSize: checked.pageSize,
      maxTenants: checked.maxTenants,
    }).toEqual({
      auth: defaults['auth'],
      corsOrigins: defaults['corsOrigins'],
      bodyLimit: defaults['bodyLimit'],
      pageSize: defaults['pageSize'],
      maxTenants: defaults['maxTenants'],
    });
    expect([checked.auth, checked.bodyLimit, checked.pageSize]).toEqual(['bearer', 1024 * 1024, 100]);
    expect(settingDefault('bodyLimit')).toBe(1024 * 1024);
    expect(() => settingDefault('nope' as never)).toThrow("No setting 'nope'.");
  });
});
