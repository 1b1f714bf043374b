// The framework ceiling: Express 5 answering each workload with the emulator's own answer, read once from
// a file, and doing nothing else (no store, no validation, no Graph headers). Run as its own process:
//   PORT=… BENCH_CANNED=answers.json node --import tsx bench/bareExpress.ts
import express from 'express';
import { readFileSync } from 'node:fs';

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

const app = express();
app.disable('x-powered-by');
app.set('etag', false);
app.get('/health', (_req, res) => {
  res.json({ status: 'ok' });
});
app.post('/accessPackages', express.json(), (_req, res) => answer(res, canned.create));
app.get('/accessPackages', (req, res) => answer(res, req.url.includes('$filter') ? canned.filter : req.url.includes('$expand') ? canned.expand : canned.list));
app.get('/accessPackages/:id', (_req, res) => answer(res, canned.get));
app.patch('/accessPackages/:id', express.json(), (_req, res) => answer(res, canned.patch));
app.listen(Number(process.env['PORT']), '127.0.0.1');
