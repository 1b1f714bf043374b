// The admin page: GET /_emulator/ and /_emulator/ui/<view> answer the page, /_emulator/ui/assets/* its script,
// styles and icon, all built from ui/ into dist/ui by `npm run build` (scripts/build.js) and shipped in the package.
// The page talks to the emulator only through the admin API and the Graph routes, from its own origin, so its
// answers forbid everything else: no script but its own file, no frame around it (clickjacking on a page that
// resets data), no sniffing, no referrer, no embedding by other sites.
// Chosen: not documented (the admin page is the emulator's own; Graph has none).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import express, { type NextFunction, type Request, type Response, Router } from 'express';
import { GraphError } from '../graphErrors.js';
import { PACKAGE_ROOT } from '../paths.js';

/** Where `npm run build` writes the page: index.html and assets/. */
export const PAGE_DIR = path.join(PACKAGE_ROOT, 'dist/ui');

const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/**
 * Paths of the page, relative to the /_emulator mount: open without ADMIN_TOKEN (a navigation sends no header).
 * A dot segment is never one (`/ui/../export` is not the page, whatever a router makes of it).
 */
export function isPagePath(relativePath: string): boolean {
  const p = relativePath.toLowerCase();
  if (/\/\.\.?(?:\/|$)/.test(p)) return false;
  return p === '/' || p === '/ui' || p.startsWith('/ui/');
}

function withPageHeaders(res: Response): void {
  for (const [name, value] of Object.entries(PAGE_HEADERS)) res.setHeader(name, value);
}

function notBuilt(): GraphError {
  return GraphError.of('notFound', 'The admin page is not built in this installation: run `npm run build` (it writes dist/ui).');
}

/** The page itself, read on each request (a few hundred bytes): a rebuild shows without a restart. */
async function readPage(dir: string): Promise<string> {
  try {
    return await readFile(path.join(dir, 'index.html'), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw notBuilt();
    throw err;
  }
}

function onlyGetAndHead(req: Request, _res: Response, next: NextFunction): void {
  if (req.method === 'GET' || req.method === 'HEAD') return next();
  throw GraphError.of('methodNotAllowed', `The admin page answers GET and HEAD only, not ${req.method}.`, { Allow: 'GET, HEAD' });
}

/** `dir`: where the built page is (default: the package's dist/ui). */
export function pageRouter(dir = PAGE_DIR): Router {
  const router = Router({ caseSensitive: false });
  const assets = express.static(path.join(dir, 'assets'), {
    index: false,
    redirect: false,
    dotfiles: 'ignore',
    fallthrough: true,
    setHeaders: withPageHeaders,
  });
  router.use(['/ui/assets', '/ui/assets/*rest'], onlyGetAndHead, assets, (req: Request) => {
    throw GraphError.of('notFound', `The admin page has no asset '${req.originalUrl.split('?')[0]}'.`);
  });
  // The views are paths of the page (/_emulator/ui/faults): a reload or a bookmark opens the same view.
  router.all(['/', '/ui', '/ui/*rest'], onlyGetAndHead, async (_req: Request, res: Response) => {
    const html = await readPage(dir);
    withPageHeaders(res);
    res.status(200).type('html').send(html);
  });
  return router;
}
