import { describe, expect, it } from '@jest/globals';
import { configFileSchema, loadConfig } from '../../server/config.js';
import { SETTINGS } from '../../server/settings.js';
import { ConfigError } from '../../server/errors.js';
import { section } from '../support/markdown.js';

const FILE = '/etc/emulator.json';

function reader(files: Record<string, unknown>) {
  return (path: string): string => {
    if (!(path in files)) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
    const content = files[path];
    return typeof content === 'string' ? content : JSON.stringify(content);
  };
}

describe('loadConfig precedence: flag > environment > config file > default', () => {
  const file = { port: 5000, auth: 'none', seed: 7, corsOrigins: ['http://localhost:3000', 'http://localhost:5173'], bodyLimit: '2mb' };

  it.each([
    { case: 'defaults only', argv: [], env: {}, expected: { port: 4000, auth: 'bearer', seed: 42, corsOrigins: [], bodyLimit: 1024 * 1024 } },
    {
      case: 'file over defaults',
      argv: ['--config', FILE],
      env: {},
      expected: { port: 5000, auth: 'none', seed: 7, corsOrigins: ['http://localhost:3000', 'http://localhost:5173'], bodyLimit: 2 * 1024 * 1024 },
    },
    { case: 'CONFIG_FILE names the file', argv: [], env: { CONFIG_FILE: FILE }, expected: { port: 5000, auth: 'none', configFile: FILE } },
    { case: 'environment over file', argv: ['--config', FILE], env: { PORT: '6000', AUTH: 'bearer' }, expected: { port: 6000, auth: 'bearer', seed: 7 } },
    { case: 'flag over environment and file', argv: ['--config', FILE, '--port', '7000'], env: { PORT: '6000' }, expected: { port: 7000, auth: 'none' } },
    { case: 'empty environment value counts as unset', argv: ['--config', FILE], env: { PORT: '' }, expected: { port: 5000 } },
  ])('$case', ({ argv, env, expected }) => {
    expect(loadConfig(argv, env, reader({ [FILE]: file })).config).toMatchObject(expected);
  });

  it('logs nothing by default under a test runner, and at info otherwise', () => {
    expect(loadConfig([], { NODE_ENV: 'test' }).config.logLevel).toBe('silent');
    expect(loadConfig([], {}).config.logLevel).toBe('info');
    expect(loadConfig([], { NODE_ENV: 'test', LOG_LEVEL: 'debug' }).config.logLevel).toBe('debug');
  });

  it('a given certificate implies https', () => {
    expect(loadConfig(['--tls-cert', 'c.pem', '--tls-key', 'k.pem'], {}).config).toMatchObject({ https: true, tlsCert: 'c.pem', tlsKey: 'k.pem' });
    expect(loadConfig(['--https'], {}).config).toMatchObject({ https: true, tlsCert: undefined });
    expect(loadConfig([], { HTTPS: 'true' }).config.https).toBe(true);
  });

  it('does not read the config file for --help', () => {
    expect(loadConfig(['--help', '--config', '/missing.json'], {}, reader({})).help).toBe(true);
  });
});

describe('config file errors', () => {
  it('say where a file stops being JSON without quoting it (an admin token beside a typo stays out of the log)', () => {
    const attempt = () => loadConfig(['--config', FILE], {}, reader({ [FILE]: '{"adminToken": "s3cret-admin-token" "port": 1}' }));
    expect(attempt).toThrow(new ConfigError(`The config file ${FILE} is not valid JSON: ',' or '}' was expected at line 1, column 37.`));
  });

  it.each([
    { case: 'missing file', content: undefined, message: `Cannot read the config file ${FILE}: ENOENT: no such file or directory, open '${FILE}'` },
    {
      case: 'not JSON',
      content: '{ port: 1 }',
      message: `The config file ${FILE} is not valid JSON: a property name in double quotes was expected at line 1, column 3.`,
    },
    { case: 'not an object', content: '[1]', message: `The config file ${FILE} is invalid: the top level must be object` },
    { case: 'wrong type', content: { port: '4000' }, message: `The config file ${FILE} is invalid: 'port' must be integer` },
    { case: 'unknown key', content: { prot: 4000 }, message: `The config file ${FILE} is invalid: unknown key 'prot'` },
    { case: 'configFile inside the file', content: { configFile: 'other.json' }, message: "unknown key 'configFile'" },
    { case: 'value out of range', content: { port: 70000 }, message: `port in ${FILE} must be a whole number from 0 to 65535; got '70000'.` },
    { case: 'bad enumeration', content: { auth: 'basic' }, message: `auth in ${FILE} must be one of bearer, strict, none; got 'basic'.` },
    { case: 'bad origin in a list', content: { corsOrigins: ['localhost:3000'] }, message: "'localhost:3000' is not an origin like http://localhost:3000." },
  ])('$case', ({ content, message }) => {
    const files = content === undefined ? {} : { [FILE]: content };
    const attempt = () => loadConfig(['--config', FILE], {}, reader(files));
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(message);
  });

  it('names every problem of the file in one message, each by its key', () => {
    const attempt = () => loadConfig(['--config', FILE], {}, reader({ [FILE]: { prot: 1, port: '4000', seed: 'x' } }));
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(
      new ConfigError(
        `The config file ${FILE} is invalid: unknown key 'prot' (keys are the setting names of docs/configuration.md, e.g. port, dataFile); ` +
          "'port' must be integer; 'seed' must be integer",
      ),
    );
  });

  it('accepts a $schema key for editors, and every setting except configFile', () => {
    const schema = configFileSchema() as { properties: Record<string, unknown>; additionalProperties: boolean };
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['$schema', 'port', 'dataFile', 'logLevel', 'https', 'tlsCert']));
    expect(Object.keys(schema.properties)).not.toContain('configFile');
    expect(loadConfig(['--config', FILE], {}, reader({ [FILE]: { $schema: './config.schema.json', https: true } })).config.https).toBe(true);
  });

  it("takes clientRoles as an object of lists or strings, or in the environment variable's form", () => {
    const roles = { backend: ['EntitlementManagement.ReadWrite.All'], '*': 'EntitlementManagement.Read.All' };
    expect(loadConfig(['--config', FILE], {}, reader({ [FILE]: { clientRoles: roles } })).config.clientRoles).toEqual({
      backend: ['EntitlementManagement.ReadWrite.All'],
      '*': ['EntitlementManagement.Read.All'],
    });
    expect(loadConfig(['--config', FILE], {}, reader({ [FILE]: { clientRoles: 'a=X' } })).config.clientRoles).toEqual({ a: ['X'] });
    expect(() => loadConfig(['--config', FILE], {}, reader({ [FILE]: { clientRoles: { a: 7 } } }))).toThrow("'clientRoles.a' must be string,array");
  });
});

describe('the configuration table (docs/configuration.md)', () => {
  it('has one row per setting with its config file key, flag and environment variable', () => {
    const table = section('docs/configuration.md', 'Configuration');
    const rows = [...table.matchAll(/^\| (`\w+`|—) \| `(--[\w-]+)` \| `(\w+)` \|/gm)].map(([, key, flag, env]) => ({
      key: key === '—' ? 'configFile' : key!.slice(1, -1),
      flag,
      env,
    }));
    expect(rows).toEqual(SETTINGS.map((s) => ({ key: s.key, flag: s.flag, env: s.env })));
  });

  it("gives every setting's default in its row as --help gives it", () => {
    const cells = section('docs/configuration.md', 'Configuration')
      .split('\n')
      .filter((row) => /^\| (`\w+`|—) \| `--/.test(row))
      .map((row) => row.split(' | ')[3]!.replaceAll('`', ''));
    const defaults = SETTINGS.map((s) => {
      const shown = s.defaultText ?? (s.defaultValue === undefined ? undefined : String(s.defaultValue));
      // --help's text up to its explanation ('none: no token needed', 'info; silent when NODE_ENV=test').
      return shown === undefined ? undefined : shown.split(/[:;] /)[0]!;
    });
    const differing = cells.flatMap((cell, i) => {
      const expected = defaults[i];
      const holds = expected === undefined ? cell === 'none' || cell === 'from the request' : cell.startsWith(expected);
      return holds ? [] : [{ flag: SETTINGS[i]!.flag, cell, expected }];
    });
    expect(cells).toHaveLength(SETTINGS.length);
    expect(differing).toEqual([]);
  });

  it('names the range of every whole-number setting in its row, as its error gives it', () => {
    const table = section('docs/configuration.md', 'Configuration').split('\n');
    const ranges = SETTINGS.flatMap((s) => {
      let message = '';
      try {
        s.parse('x', s.flag);
      } catch (err) {
        message = (err as Error).message;
      }
      const range = /whole number from (\d+) to (\d+)/.exec(message);
      if (range === null) return [];
      const named = `${Number(range[1]).toLocaleString('en-US')}–${Number(range[2]).toLocaleString('en-US')}`;
      return [{ flag: s.flag, named, inRow: table.find((row) => row.includes(`| \`${s.flag}\` |`))?.includes(named) }];
    });
    expect(ranges.map((r) => r.flag)).toEqual(['--port', '--page-size', '--seed', '--max-tenants', '--journal-size']);
    expect(ranges.filter((r) => !r.inRow)).toEqual([]);
  });

  it('says that an empty environment variable counts as unset, as the loader reads it', () => {
    expect(loadConfig(['--config', FILE], { PORT: '' }, reader({ [FILE]: { port: 4100 } })).config.port).toBe(4100);
    expect(loadConfig([], { PORT: '' }).config.port).toBe(4000);
    expect(section('docs/configuration.md', 'Configuration')).toContain('An environment variable set to the empty string\n(`PORT=`');
  });

  it('names the short forms of --help and --version that the command line takes', () => {
    expect([loadConfig(['-h'], {}).help, loadConfig(['-v'], {}).version]).toEqual([true, true]);
    const intro = section('docs/configuration.md', 'Configuration');
    expect(intro).toContain('`--help` (or `-h`)');
    expect(intro).toContain('`--version` (or `-v`)');
  });
});
