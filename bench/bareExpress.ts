// The framework ceiling: Express 5 answering each workload with the emulator's own answer, read once from
// a file, and doing nothing else (no store, no validation, no Graph headers). Run as its own process:
//   PORT=… BENCH_CANNED=answers.json node --import tsx bench/bareExpress.ts
// With BENCH_DURABLE_FILE set (the `express-durable` server), a create first does what no durable store can
// skip: one JSON line of the record appended to that file and fdatasync'ed, in group commits as the emulator's
// journal does, the answer sent after the sync. The answer is the same canned one.
import express from 'express';
import { randomUUID } from 'node:crypto';
import { fdatasync, openSync, readFileSync, writeSync } from 'node:fs';

export interface CannedAnswer {
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

/** Appends lines and calls each one's `done` once a fdatasync covers it; appends that arrive during a sync share the next. */
function groupCommit(file: string): (line: string, done: () => void) => void {
  const fd = openSync(file, 'a');
  let waiting: { line: string; done: () => void }[] = [];
  let syncing = false;
  const next = (): void => {
    const batch = waiting;
    waiting = [];
    syncing = batch.length > 0;
    if (!syncing) return;
    const bytes = Buffer.from(batch.map((w) => w.line).join(''));
    for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at);
    fdatasync(fd, (err) => {
      if (err) throw err;
      for (const w of batch) w.done();
      next();
    });
  };
  return (line, done) => {
    waiting.push({ line, done });
    if (!syncing) next();
  };
}

const durableFile = process.env['BENCH_DURABLE_FILE'];
const append = durableFile ? groupCommit(durableFile) : undefined;

const app = express();
app.disable('x-powered-by');
app.set('etag', false);
app.get('/health', (_req, res) => {
  res.json({ status: 'ok' });
});
app.post('/accessPackages', express.json(), (req, res) => {
  if (append === undefined) return answer(res, canned.create);
  const record = { ...(req.body as object), id: randomUUID(), createdDateTime: new Date().toISOString() };
  append(`${JSON.stringify({ op: 'put', c: 'accessPackages', r: record })}\n`, () => answer(res, canned.create));
});
app.get('/accessPackages', (req, res) => answer(res, req.url.includes('$filter') ? canned.filter : req.url.includes('$expand') ? canned.expand : canned.list));
app.get('/accessPackages/:id', (_req, res) => answer(res, canned.get));
app.patch('/accessPackages/:id', express.json(), (_req, res) => answer(res, canned.patch));
app.listen(Number(process.env['PORT']), '127.0.0.1');
