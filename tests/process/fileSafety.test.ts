// The command line on files that are not its own or that the system refuses: one line on stderr naming the
// file and the cause, no stack trace, a distinct exit code, and the file left as it was. Read-only folders and
// files are made with chmod, or, for root (whom permissions do not stop), with chattr +i; a read-only and a
// full file system are real tmpfs mounts, where this machine lets the tests mount them.
import { afterAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, linkSync, lstatSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, type Spawned, LISTENING, spawnEmulator, spawnProcess, tempDir } from '../support/childProcess.js';

const isRoot = process.getuid?.() === 0;

/** Whether `command args` runs here (chattr on this file system, mount with the rights it needs). */
function works(command: string, args: string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}
function must(command: string, args: string[]): void {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${result.stderr}`);
}

const probe = tempDir('fs-probe-');
writeFileSync(path.join(probe, 'f'), '');
/** Root can take away write access only by making a file immutable. */
const canLock = !isRoot || (works('chattr', ['+i', path.join(probe, 'f')]) && works('chattr', ['-i', path.join(probe, 'f')]));
/** What a test that needs canLock says in its name where it cannot run. */
const lockSkipped = canLock ? '' : ' (skipped: root here cannot make a file immutable with chattr)';
const canMount = isRoot && works('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe]) && works('umount', [probe]);

const mounts: string[] = [];
const locked: string[] = [];
afterAll(() => {
  for (const at of locked.splice(0)) spawnSync('chattr', ['-i', at]);
  for (const at of mounts.splice(0)) spawnSync('umount', [at]);
});

/** No write access to `at` for this process, undone after the tests. */
function readOnly(at: string): void {
  if (isRoot) {
    must('chattr', ['+i', at]);
    locked.push(at);
  } else chmodSync(at, statSync(at).isDirectory() ? 0o555 : 0o444);
}

function tmpfs(at: string, options: string): void {
  mkdirSync(at, { recursive: true });
  must('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', at]);
  mounts.push(at);
}

/** A data file as a stop of a store that holds no package writes it, minus the built-in catalog. */
const EMPTY_DATA_FILE = '{"dataFormat": "graph-accesspackages-emulator/1", "accessPackages": []}\n';

async function run(args: string[], env: Record<string, string> = {}) {
  const proc = spawnEmulator(args, { FIXTURES: 'empty', ...env });
  const exit = await proc.exited;
  return { code: exit.code, stdout: proc.stdout(), stderr: proc.stderr() };
}

async function start(dataFile: string): Promise<{ proc: Spawned; url: string }> {
  const proc = spawnEmulator([], { FIXTURES: 'empty', DATA_FILE: dataFile });
  const [, url] = await proc.waitFor(LISTENING);
  return { proc, url: url! };
}

async function stop(proc: Spawned): Promise<void> {
  proc.child.kill('SIGTERM');
  expect((await proc.exited).code).toBe(0);
}

async function createPackage(url: string, displayName: string): Promise<void> {
  const res = await fetch(`${url}/beta/identityGovernance/entitlementManagement/accessPackages`, {
    method: 'POST',
    headers: { Authorization: 'Bearer t', 'Content-Type': 'application/json' },
    body: JSON.stringify({ displayName }),
  });
  expect(res.status).toBe(201);
}

describe('a data file that is not the emulator’s own', () => {
  it('refuses a package.json with exit 1 and leaves it byte for byte as it was', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'package.json');
    copyFileSync(path.join(ROOT, 'package.json'), file);
    const result = await run([], { DATA_FILE: file });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(
        `^error: The data file ${file} is not an emulator data file: it has no "dataFormat" marker, and its keys \\('name', 'version', .*\\) are not the emulator's collections\\. It was left untouched\\.\\n$`,
      ),
    );
    expect(readFileSync(file)).toEqual(readFileSync(path.join(ROOT, 'package.json')));
    expect(readdirSync(dir)).toEqual(['package.json']);
  });
});

describe('a refusal of a data file that is not JSON', () => {
  it('is one line on stderr saying where the file stops being JSON, quoting none of it (no escape reaches the terminal)', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'db.json');
    writeFileSync(file, '\u001b[2J\u009b\u202e\r\nx');
    const result = await run([], { DATA_FILE: file });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`error: The data file ${file} is not valid JSON (a JSON value was expected at line 1, column 1). It was left untouched.\n`);
  });
});

describe('the start-up lines that quote the data file', () => {
  it.each(['pretty', 'json'])('are one line each with LOG_FORMAT=%s, a folder named with a line break and escapes written as escapes', async (format) => {
    const dir = path.join(tempDir(), 'a\nb\u001b[2J\u202ec');
    const proc = spawnEmulator([], { DATA_FILE: path.join(dir, 'db.json'), LOG_FORMAT: format, FIXTURES: 'empty' });
    await proc.waitFor(LISTENING);
    proc.child.kill('SIGTERM');
    await proc.exited;
    const first = proc.stdout().split('\n')[0]!;
    const text = format === 'json' ? (JSON.parse(first) as { msg: string }).msg : first;
    expect(text).toMatch(/^Graph accessPackages emulator listening on .*; data: .*a\\nb\\u001b\[2J\\u202ec\/db\.json\)$/);
    expect([...first].some((char) => char.charCodeAt(0) < 0x20 || char === '\u202e')).toBe(false);
  });
});

describe('a DATA_FILE whose folders are missing', () => {
  it('exits 3 at once where the system refuses to make them (/proc), and leaves none it made when the start is refused', async () => {
    const proc = await run([], { DATA_FILE: '/proc/no-such-folder/db.json' });
    expect(proc.code).toBe(3);
    expect(proc.stderr).toBe('error: Cannot open the data file /proc/no-such-folder/db.json: no such file or directory (ENOENT, at /proc/no-such-folder).\n');
    const dir = tempDir();
    writeFileSync(path.join(dir, 'bad.json'), '{bad');
    const refused = await run([], { DATA_FILE: path.join(dir, 'a', 'b', 'db.json'), FIXTURES: path.join(dir, 'bad.json') });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/^error: The fixtures file .*bad\.json is not valid JSON/);
    expect(readdirSync(dir)).toEqual(['bad.json']);
  });
});

describe('one data file, two names', () => {
  it('an emulator on the target refuses a second one on a symbolic link to it; the link stays a link', async () => {
    const dir = tempDir();
    const target = path.join(dir, 'db.json');
    const link = path.join(dir, 'link.json');
    symlinkSync('db.json', link);
    const first = await start(link);
    expect(first.proc.stdout()).toContain(`data: ${target})`);
    await createPackage(first.url, 'Through the link');
    const second = await run([], { DATA_FILE: target });
    expect(second.code).toBe(1);
    expect(second.stderr).toBe(
      `error: The data file ${target} is in use by another emulator process (pid ${first.proc.child.pid}). Stop it, or give this one its own DATA_FILE.\n`,
    );
    await stop(first.proc);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(target, 'utf8'))).toMatchObject({
      dataFormat: 'graph-accesspackages-emulator/1',
      accessPackages: [{ displayName: 'Through the link' }],
    });
    expect(readdirSync(dir).sort()).toEqual(['db.json', 'db.json.journal', 'link.json']);
  });

  it('a second emulator on a hard link of a running one’s file is refused; the first goes on', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'db.json');
    // A running store writes its data file at its first snapshot: here there is one before the start.
    writeFileSync(file, EMPTY_DATA_FILE);
    const again = await start(file);
    const other = path.join(dir, 'copy.json');
    linkSync(file, other);
    const second = await run([], { DATA_FILE: other });
    expect(second.code).toBe(1);
    expect(second.stderr).toBe(
      `error: The data file ${other} has 2 hard links; the emulator replaces the file at every snapshot, so its other names would diverge from it. Give the emulator a file of its own (cp, not ln), or a symbolic link.\n`,
    );
    await createPackage(again.url, 'After the refusal');
    await stop(again.proc);
  });
});

describe('files planted beside the data file', () => {
  it('a symbolic link as the journal: exit 1 naming it, and the file it points to left as it was', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'db.json');
    const victim = path.join(dir, 'victim.txt');
    writeFileSync(victim, 'precious, no newline');
    symlinkSync(victim, `${file}.journal`);
    const result = await run([], { DATA_FILE: file });
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toBe(
      `error: The journal ${file}.journal is a symbolic link; the emulator writes its journal only into a file of its own, never through a link. It was left untouched.\n`,
    );
    expect(readFileSync(victim, 'utf8')).toBe('precious, no newline');
    expect(readdirSync(dir).sort()).toEqual(['db.json.journal', 'victim.txt']);
  });

  it('a folder where the journal belongs: exit 3, naming the journal', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'db.json');
    writeFileSync(file, EMPTY_DATA_FILE);
    mkdirSync(`${file}.journal`);
    const result = await run([], { DATA_FILE: file });
    expect(result).toMatchObject({ code: 3, stdout: '' });
    expect(result.stderr).toBe(`error: Cannot open the journal ${file}.journal: it is a directory (EISDIR, at ${file}.journal).\n`);
  });

  it('a fixtures file with a bad record: exit 1, and no file left beside the data file', async () => {
    const dir = tempDir();
    const fixtures = path.join(dir, 'bad-tenant.json');
    writeFileSync(fixtures, '[{"id": "8c2a1f54-7f3e-4d0b-9a51-2f0c6f1e4b7a", "displayName": "Sales", "isHidden": "yes"}]');
    const data = path.join(dir, 'data');
    mkdirSync(data);
    const result = await run(['--fixtures', fixtures], { DATA_FILE: path.join(data, 'db.json') });
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toBe(
      `error: The fixtures file ${fixtures} is not valid: accessPackages[0]: Invalid value for property 'isHidden': cannot convert the literal 'yes' to the expected type 'Edm.Boolean'.\n`,
    );
    expect(readdirSync(data)).toEqual([]);
  });

  it.each([
    ['missing', (dir: string) => path.join(dir, 'nonexist.json'), 'ENOENT: no such file or directory, open'],
    [
      'a directory',
      (dir: string) => {
        mkdirSync(path.join(dir, 'folder.json'));
        return path.join(dir, 'folder.json');
      },
      'EISDIR: not a regular file, open',
    ],
  ])('a fixtures file that is %s: exit 2 as a bad setting, before the data file is opened', async (_case, make, cause) => {
    const dir = tempDir();
    const fixtures = make(dir);
    const data = path.join(dir, 'data');
    mkdirSync(data);
    const result = await run(['--fixtures', fixtures], { DATA_FILE: path.join(data, 'db.json') });
    expect(result).toEqual({ code: 2, stdout: '', stderr: `error: Cannot read the fixtures file ${fixtures}: ${cause} '${fixtures}'\n` });
    expect(readdirSync(data)).toEqual([]);
  });

  it('a fixtures file that is missing stops the start too when the data file already holds data', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'db.json');
    writeFileSync(file, EMPTY_DATA_FILE);
    const before = readFileSync(file, 'utf8');
    const missing = path.join(dir, 'nonexist.json');
    const result = await run([], { DATA_FILE: file, FIXTURES: missing });
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: `error: Cannot read the fixtures file ${missing}: ENOENT: no such file or directory, open '${missing}'\n`,
    });
    expect(readFileSync(file, 'utf8')).toBe(before);
  });
});

describe('files the system refuses: exit 3 and one line', () => {
  it('a directory as DATA_FILE', async () => {
    const dir = tempDir();
    const result = await run([], { DATA_FILE: dir });
    expect(result).toMatchObject({ code: 3, stdout: '' });
    expect(result.stderr).toBe(`error: The data file ${dir} is a directory (EISDIR); DATA_FILE must name a file.\n`);
  });

  (canLock ? it : it.skip)(`a folder this process may not write to (${isRoot ? 'immutable, for root' : 'mode 0555'})${lockSkipped}`, async () => {
    const dir = path.join(tempDir(), 'data');
    mkdirSync(dir);
    readOnly(dir);
    const file = path.join(dir, 'db.json');
    const result = await run([], { DATA_FILE: file });
    expect(result.code).toBe(3);
    const cause = isRoot ? 'operation not permitted: an immutable file, or a right this user lacks (EPERM' : 'permission denied (EACCES';
    expect(result.stderr).toBe(`error: Cannot open the data file ${file}: ${cause}, at ${dir}).\n`);
    expect(readdirSync(dir)).toEqual([]);
  });

  (canLock ? it : it.skip)(
    `a data file this process may not write to (${isRoot ? 'immutable, for root' : 'mode 0444'}), left as it was${lockSkipped}`,
    async () => {
      const dir = tempDir();
      const file = path.join(dir, 'db.json');
      writeFileSync(file, '{"accessPackages": []}');
      readOnly(file);
      const result = await run([], { DATA_FILE: file });
      expect(result.code).toBe(3);
      const cause = isRoot ? 'operation not permitted: an immutable file, or a right this user lacks (EPERM' : 'permission denied (EACCES';
      expect(result.stderr).toBe(`error: Cannot open the data file ${file}: ${cause}, at ${file}).\n`);
      expect(readFileSync(file, 'utf8')).toBe('{"accessPackages": []}');
      expect(readdirSync(dir)).toEqual(['db.json']);
    },
  );

  (canMount ? it : it.skip)('a read-only file system (a tmpfs mounted read-only; skipped where root cannot mount one)', async () => {
    const dir = path.join(tempDir(), 'ro');
    tmpfs(dir, 'ro,size=64k');
    const file = path.join(dir, 'db.json');
    const result = await run([], { DATA_FILE: file });
    expect(result.code).toBe(3);
    expect(result.stderr).toBe(`error: Cannot open the data file ${file}: the file system is read-only (EROFS, at ${dir}).\n`);
  });

  (canMount ? it : it.skip)('a file system with no room for one more file (a full tmpfs; skipped where root cannot mount one)', async () => {
    const dir = path.join(tempDir(), 'full');
    tmpfs(dir, 'size=64k,nr_inodes=4');
    // Every inode taken: the first file the emulator creates (its lock) cannot be made.
    for (let i = 0; ; i += 1) {
      try {
        writeFileSync(path.join(dir, `filler-${i}`), '');
      } catch {
        break;
      }
    }
    const file = path.join(dir, 'db.json');
    const result = await run([], { DATA_FILE: file });
    expect(result.code).toBe(3);
    expect(result.stderr).toBe(`error: Cannot open the data file ${file}: no space left on the device (ENOSPC, at ${file}.lock).\n`);
  });

  it('a certificate file that is not there', async () => {
    const missing = path.join(tempDir(), 'cert.pem');
    const result = await run(['--https', '--tls-cert', missing, '--tls-key', missing], { DATA_FILE: ':memory:' });
    expect(result.code).toBe(3);
    expect(result.stderr).toBe(`error: Cannot read the certificate file (TLS_CERT): no such file or directory (ENOENT, at ${missing}).\n`);
  });

  it.each([
    ['FIXTURES', 'fixtures file', 2],
    ['FAULTS_FILE', 'faults file', 2],
    ['CONFIG_FILE', 'config file', 2],
  ])('a pipe as %s: refused at once with one line, never waited on', async (setting, label, code) => {
    const fifo = path.join(tempDir(), 'named.fifo');
    execFileSync('mkfifo', [fifo]);
    const result = await run([], { DATA_FILE: ':memory:', [setting]: fifo });
    expect(result.code).toBe(code);
    expect(result.stderr).toContain(`Cannot read the ${label} ${fifo}: ENOTREG: not a regular file, open '${fifo}'`);
    expect(result.stderr.trimEnd().split('\n')[0]).toMatch(/^error: /);
  });

  it('a certificate or key that is a directory or a pipe: refused at once, never waited on', async () => {
    const dir = tempDir();
    const fifo = path.join(dir, 'key.fifo');
    execFileSync('mkfifo', [fifo]);
    const folder = await run(['--https', '--tls-cert', dir, '--tls-key', fifo], { DATA_FILE: ':memory:' });
    expect(folder.code).toBe(3);
    expect(folder.stderr).toBe(`error: Cannot read the certificate file (TLS_CERT): it is a directory (EISDIR, at ${dir}).\n`);
    const pipe = await run(['--https', '--tls-cert', fifo, '--tls-key', fifo], { DATA_FILE: ':memory:' });
    expect(pipe.code).toBe(3);
    expect(pipe.stderr).toBe(
      `error: Cannot read the certificate file (TLS_CERT): it is not a regular file (a pipe, a socket or a device) (ENOTREG, at ${fifo}).\n`,
    );
  });
});

describe('--https with DATA_FILE=:memory:', () => {
  const uid = process.getuid!();

  it("keeps the local CA in this user's own folder of the temp directory, made with mode 0700", async () => {
    const tmp = tempDir();
    const proc = spawnEmulator(['--https'], { FIXTURES: 'empty', DATA_FILE: ':memory:', TMPDIR: tmp });
    const [, caFile] = await proc.waitFor(/NODE_EXTRA_CA_CERTS=(\S+)/);
    const folder = path.join(tmp, `graph-accesspackages-emulator-${uid}`);
    expect(caFile).toBe(path.join(folder, 'tls', 'ca.pem'));
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    expect(readFileSync(caFile!, 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----/);
    await stop(proc);
  });

  it('refuses a folder of that name that others may enter, with exit 3, and writes nothing into it', async () => {
    const tmp = tempDir();
    const folder = path.join(tmp, `graph-accesspackages-emulator-${uid}`);
    mkdirSync(folder);
    chmodSync(folder, 0o755);
    const result = await run(['--https'], { DATA_FILE: ':memory:', TMPDIR: tmp });
    expect(result.code).toBe(3);
    expect(result.stderr).toBe(
      `error: The certificate folder ${folder} has mode 0755, not 0700; it holds the local CA's private key, so it must be this user's own with mode 0700. Remove it to have it made again.\n`,
    );
    expect(readdirSync(folder)).toEqual([]);
  });
});

describe('files the emulator makes under a permissive umask', () => {
  it('are never writable by others with umask 000: folders 0755, files 0644', async () => {
    const dir = tempDir('umask-');
    const file = path.join(dir, 'made', 'db.json');
    const quoted = [process.execPath, path.join(ROOT, 'dist/server/cli.js')].map((arg) => `'${arg}'`).join(' ');
    const proc = spawnProcess('sh', ['-c', `umask 000 && exec ${quoted}`], { PORT: '0', DATA_FILE: file, FIXTURES: 'empty' });
    const [, url] = await proc.waitFor(LISTENING);
    const created = await fetch(`${url}/beta/identityGovernance/entitlementManagement/accessPackages`, {
      method: 'POST',
      headers: { Authorization: 'Bearer t', 'Content-Type': 'application/json' },
      body: '{"displayName":"kept"}',
    });
    expect(created.status).toBe(201);
    // A baseline keeps a stored dataset, and its folder, after the stop.
    expect((await fetch(`${url}/_emulator/snapshots/kept`, { method: 'PUT' })).status).toBe(201);
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toEqual({ code: 0, signal: null });
    const modeOf = (at: string) => (statSync(at).mode & 0o777).toString(8);
    const datasets = `${file}.datasets`;
    const found = [path.dirname(file), file, `${file}.journal`, datasets, ...readdirSync(datasets).map((name) => path.join(datasets, name))].map((at) => [
      path.relative(dir, at).replace(/[0-9a-f]{32}/, '<hash>'),
      modeOf(at),
    ]);
    expect(found).toEqual([
      ['made', '755'],
      ['made/db.json', '644'],
      ['made/db.json.journal', '644'],
      ['made/db.json.datasets', '755'],
      ...readdirSync(datasets).map((name) => [`made/db.json.datasets/${name.replace(/[0-9a-f]{32}/, '<hash>')}`, '644']),
    ]);
    expect(found.length).toBeGreaterThan(4);
  });
});
