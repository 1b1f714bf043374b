import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { benchRecords, writeEmulatorDataFile } from './dataset.js';
import { toAutocannon } from './load.js';
import { freePort } from './servers.js';
import { REQUEST_HEADERS, requestsFor } from './workloads.js';

const workload = (process.argv[2] ?? 'get') as 'get' | 'create';
const dir = await mkdtemp(path.join(tmpdir(), 'prof-'));
const file = path.join(dir, 'e.json');
await writeEmulatorDataFile(benchRecords(100), file);
let port = await freePort();
const extra = process.env.NOJ ? { JOURNAL: 'off' } : {};
let child;
let requests = requestsFor('emulator', workload, { size: 100, pageSize: 100 }).map((r) => toAutocannon(r));
if (process.env.EXPRESS) {
  const pre = spawn(process.execPath, ['dist/server/cli.js'], { env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_FILE: file, AUTH: 'bearer' }, stdio: 'ignore' });
  for (;;) { try { const r = await fetch(`http://127.0.0.1:${port}/_emulator/health`); if (r.ok) break; } catch {} await new Promise((r) => setTimeout(r, 100)); }
  const rq = requestsFor('emulator', workload, { size: 100, pageSize: 100 })[0]!;
  const a = await fetch(`http://127.0.0.1:${port}${rq.path}`, { method: rq.method, body: rq.body, headers: REQUEST_HEADERS });
  const { writeFile } = await import('node:fs/promises');
  await writeFile(path.join(dir, 'canned.json'), JSON.stringify({ [workload]: { status: a.status, body: await a.json() } }));
  pre.kill('SIGTERM'); await new Promise((r) => pre.on('exit', r));
  port = await freePort();
  child = spawn(process.execPath, [...(process.env.NOPROF ? [] : ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=50']), '--import', 'tsx', 'bench/bareExpress.ts'], { env: { ...process.env, PORT: String(port), BENCH_CANNED: path.join(dir, 'canned.json') }, stdio: ['ignore', 'ignore', 'inherit'] });
  for (;;) { try { const r = await fetch(`http://127.0.0.1:${port}/health`); if (r.ok) break; } catch {} await new Promise((r) => setTimeout(r, 100)); }
  requests = requestsFor('express', workload, { size: 100, pageSize: 100 }).map((r) => toAutocannon(r));
} else {
child = spawn(process.execPath, [...(process.env.NOPROF ? [] : ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=50']), 'dist/server/cli.js'], {
  env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_FILE: file, AUTH: 'bearer', FIXTURES: 'small', SEED: '42', JOURNAL: 'on', ...extra },
  stdio: ['ignore', 'ignore', 'inherit'],
});
for (;;) { try { const r = await fetch(`http://127.0.0.1:${port}/_emulator/health`); if (r.ok) break; } catch {} await new Promise((r) => setTimeout(r, 100)); }
}
await autocannon({ url: `http://127.0.0.1:${port}`, connections: Number(process.env.CONN ?? 10), duration: 3, headers: REQUEST_HEADERS, requests });
const stat = () => readFile(`/proc/${child.pid}/stat`, 'utf8').then((t) => t.slice(t.lastIndexOf(')') + 2).split(' ')).then((f) => [Number(f[11]), Number(f[12])]);
const before = await stat();
const res = await autocannon({ url: `http://127.0.0.1:${port}`, connections: Number(process.env.CONN ?? 10), duration: Number(process.env.DUR ?? 15), headers: REQUEST_HEADERS, requests });
const after = await stat();
const n = res.requests.total;
console.log('req/s', res.requests.average, 'non2xx', res.non2xx, 'user us/req', ((after[0] - before[0]) * 10000 / n).toFixed(1), 'sys us/req', ((after[1] - before[1]) * 10000 / n).toFixed(1));
if (process.env.NOPROF) { child.kill('SIGTERM'); process.exit(0); }
child.kill('SIGTERM');
await new Promise((r) => child.on('exit', r));
const prof = JSON.parse(await readFile(path.join(dir, (await readdir(dir)).find((f) => f.endsWith('.cpuprofile'))!), 'utf8'));
{ const busy = prof.endTime - prof.startTime; console.log('profile us', busy); }
const self = new Map<number, number>();
for (let i = 0; i < prof.samples.length; i++) self.set(prof.samples[i], (self.get(prof.samples[i]) ?? 0) + prof.timeDeltas[i]);
const byKey = new Map<string, number>();
let total = 0;
for (const node of prof.nodes) {
  const t = self.get(node.id) ?? 0; total += t;
  const cf = node.callFrame;
  const key = `${cf.functionName || '(anon)'} ${cf.url.replace(/.*node_modules\//, 'nm/').replace(/.*\/dist\//, 'dist/')}:${cf.lineNumber}`;
  byKey.set(key, (byKey.get(key) ?? 0) + t);
}
const rows = [...byKey].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP ?? 60));
for (const [k, t] of rows) console.log((100 * t / total).toFixed(2).padStart(6), k);
// by file
const byFile = new Map<string, number>();
for (const node of prof.nodes) { const t = self.get(node.id) ?? 0; const u = node.callFrame.url.replace(/.*node_modules\//, 'nm/').replace(/.*\/dist\//, 'dist/') || node.callFrame.functionName; byFile.set(u, (byFile.get(u) ?? 0) + t); }
console.log('--- by file');
for (const [k, t] of [...byFile].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log((100 * t / total).toFixed(2).padStart(6), k);
