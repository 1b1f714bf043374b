// The framework ceiling: Express 5 answering each workload with the emulator's own answer, read once from
// a file, and doing nothing else (no store, no validation, no Graph headers). Run as its own process:
//   PORT=… BENCH_CANNED=answers.json node --import tsx bench/bareExpress.ts
// With BENCH_DURABLE_FILE set (the `express-durable` server), a create first does what no durable store can
// skip: one JSON line of the record appended to that file and fdatasync'ed, through the emulator's own journal
// (group commit), the answer sent after the sync. The answer is the same canned one.
// With BENCH_MESSAGE_CLASSES set (the `express-classes` server), the app is served as the emulator serves its own:
// by a server whose requests and responses already have the app's prototypes (server/http/messageClasses.ts).
import express from 'express';
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Journal } from '../server/store/journal.js';
import { adoptMessageClasses, messageClassesOf } from '../server/http/messageClasses.js';
import type { AccessPackage } from '../server/store/records.js';

interface CannedAnswer {
  status: number;
  body: unknown;
}
export type CannedAnswers = Partial<Record<'create' | 'get' | 'list' | 'filter' | 'patch' | 'expand', CannedAnswer>>;

const canned = JSON.parse(readFileSync(process.env['BENCH_CANNED'] ?? '', 'utf8')) as CannedAnswers;

function answer(res: express.Response, found: CannedAnswer | undefined): void {
  if (found === undefined) {
    res.status(404).end();
  } else if (found.body === null) {
    res.status(found.status).end();
  } else {
    res.status(found.status).json(found.body);
  }
}

// The emulator's own journal (server/store/journal.ts): the same append and group commit, nothing else of the store.
const durableFile = process.env['BENCH_DURABLE_FILE'];
const journal = durableFile ? (await Journal.open(durableFile)).journal : undefined;

const app = express();
if (process.env['BENCH_MESSAGE_CLASSES'] === '1') adoptMessageClasses(app);
app.disable('x-powered-by');
app.set('etag', false);
app.get('/health', (_req, res) => {
  res.json({ status: 'ok' });
});
app.post('/accessPackages', express.json(), (req, res) => {
  if (journal === undefined) return answer(res, canned.create);
  const record = { ...(req.body as object), id: randomUUID(), createdDateTime: new Date().toISOString() } as AccessPackage;
  journal.append({ op: 'put', c: 'accessPackages', r: record }).then(
    () => answer(res, canned.create),
    () => res.status(500).end(),
  );
});
app.get('/accessPackages', (req, res) => answer(res, req.url.includes('$filter') ? canned.filter : req.url.includes('$expand') ? canned.expand : canned.list));
app.get('/accessPackages/:id', (_req, res) => answer(res, canned.get));
app.patch('/accessPackages/:id', express.json(), (_req, res) => answer(res, canned.patch));
createServer(messageClassesOf(app), app).listen(Number(process.env['PORT']), '127.0.0.1');
// Exits on SIGTERM as the emulator does, rather than by the signal: a process run under valgrind
// (`npm run bench -- --instructions`) or with --cpu-prof writes its counts only when it exits.
process.once('SIGTERM', () => process.exit(0));
