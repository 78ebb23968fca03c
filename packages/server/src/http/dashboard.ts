import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The dashboard shows what agents send: even if some of it slipped past the renderer, the page may
 * run only its own script, talk only to this server and load nothing from outside.
 */
export const DASHBOARD_CONTENT_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Where the server's build copies the dashboard (`dist/dashboard`). */
export const DEFAULT_DASHBOARD_DIR = fileURLToPath(new URL('../dashboard/', import.meta.url));

const MISSING_PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>Countersign</title></head>
<body><h1>Countersign</h1><p>The dashboard build is missing: run
<code>pnpm --filter @countersign/dashboard build</code> and then build the server, which copies
<code>packages/dashboard/dist</code> into <code>packages/server/dist/dashboard</code>.</p>
<p>The API is at <a href="/openapi.json">/openapi.json</a>.</p></body></html>`;

async function fileIn(root: string, path: string): Promise<string | undefined> {
  const target = resolve(root, `.${decodeURIComponent(path)}`);
  if (target !== root && !target.startsWith(root.endsWith(sep) ? root : root + sep))
    return undefined;
  try {
    return (await stat(target)).isFile() ? target : undefined;
  } catch {
    return undefined;
  }
}

/** Serves the dashboard at `/`, with SPA fallback to index.html for HTML navigations. */
export function dashboardRoutes(directory: string = DEFAULT_DASHBOARD_DIR): Hono {
  const root = resolve(directory);
  const app = new Hono();
  app.get('*', async (c, next) => {
    const path = c.req.path;
    if (path.startsWith('/v1/') || path.startsWith('/api/')) return next();
    const index = join(root, 'index.html');
    if (!existsSync(index)) {
      return (c.req.header('accept') ?? '').includes('text/html') || path === '/'
        ? c.html(MISSING_PAGE)
        : next();
    }
    let file: string | undefined;
    try {
      file = path === '/' ? index : await fileIn(root, path);
    } catch {
      file = undefined;
    }
    if (!file) {
      if (!(c.req.header('accept') ?? '').includes('text/html')) return next();
      file = index;
    }
    const body = await readFile(file);
    return c.body(body, 200, {
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'x-content-type-options': 'nosniff',
      ...(extname(file) === '.html'
        ? { 'content-security-policy': DASHBOARD_CONTENT_POLICY, 'referrer-policy': 'no-referrer' }
        : {}),
    });
  });
  return app;
}
