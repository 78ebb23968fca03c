import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../store/sqlite-store.js';
import type { Store } from '../store/store-types.js';
import { createApp } from './app.js';

let directory: string;
let store: Store;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'countersign-meta-'));
  store = openSqliteStore({ path: join(directory, 'meta.db') });
});
afterEach(async () => {
  await store.close().catch(() => undefined);
  rmSync(directory, { recursive: true, force: true });
});

describe('health, readiness, OpenAPI and the dashboard', () => {
  it('answers healthz and readyz, and readyz fails when the database is gone', async () => {
    const { app } = createApp({ store, dashboardDir: directory });
    expect(await (await app.request('/healthz')).json()).toEqual({ status: 'ok' });
    expect((await app.request('/readyz')).status).toBe(200);
    await store.close();
    const down = await app.request('/readyz');
    expect(down.status).toBe(503);
    expect(((await down.json()) as { error: { code: string } }).error.code).toBe(
      'service_unavailable',
    );
  });

  it('publishes an OpenAPI 3.1 document generated from the core schemas', async () => {
    const { app } = createApp({ store, dashboardDir: directory });
    const document = (await (await app.request('/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
      components: {
        schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }>;
      };
    };
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toContain('/v1/requests/{id}/decisions');
    expect(document.components.schemas.CreateRequestBody?.required).toEqual(['action']);
    expect(Object.keys(document.components.schemas.ApprovalRequest?.properties ?? {})).toContain(
      'fingerprint',
    );
  });

  it('serves the dashboard with SPA fallback, and names a missing build', async () => {
    const missing = createApp({ store, dashboardDir: join(directory, 'nothing') }).app;
    const page = await missing.request('/', { headers: { accept: 'text/html' } });
    expect(await page.text()).toContain('dashboard build is missing');

    const dist = join(directory, 'dist');
    mkdirSync(join(dist, 'assets'), { recursive: true });
    writeFileSync(join(dist, 'index.html'), '<html>dashboard</html>');
    writeFileSync(join(dist, 'assets', 'app.js'), 'console.log(1)');
    const { app } = createApp({ store, dashboardDir: dist });
    expect(await (await app.request('/')).text()).toBe('<html>dashboard</html>');
    const asset = await app.request('/assets/app.js');
    expect(asset.headers.get('content-type')).toContain('text/javascript');
    const deep = await app.request('/requests/req_1', { headers: { accept: 'text/html' } });
    expect(await deep.text()).toBe('<html>dashboard</html>');
    const traversal = await app.request('/..%2f..%2fetc%2fpasswd', {
      headers: { accept: 'application/json' },
    });
    expect(traversal.status).toBe(404);
    // API paths never fall back to the page: they answer JSON (here: authentication comes first).
    const api = await app.request('/v1/unknown', { headers: { accept: 'text/html' } });
    expect(api.status).toBe(401);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
  });
});
