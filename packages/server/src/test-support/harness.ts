import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiKey, type NewKeyOptions } from '../auth/api-keys.js';
import { ManualClock } from '../clock.js';
import { type AppOptions, buildApp } from '../http/app.js';
import { Scheduler } from '../scheduler/scheduler.js';
import type { ServiceContext } from '../service/service-context.js';
import { openSqliteStore } from '../store/sqlite-store.js';
import type { Store } from '../store/store-types.js';
import type { HostResolver } from '../webhooks/callback-addresses.js';

/** A JSON response as tests read it. */
export interface Reply {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: tests read replies loosely
  body: any;
  text: string;
  headers: Headers;
}

/** An in-process app on a real SQLite file with a manual clock, for the fast test matrix. */
export interface Harness {
  context: ServiceContext;
  clock: ManualClock;
  scheduler: Scheduler;
  dbPath: string;
  keys: { admin: string; agent: string; agent2: string; alice: string; bob: string; carol: string };
  key(options: NewKeyOptions): Promise<string>;
  call(
    key: string | undefined,
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Reply>;
  raw(request: Request): Promise<Response>;
  /** Moves time forward and runs every job that fell due. */
  advance(ms: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Resolves `localhost` only, without asking DNS: test hosts such as `hooks.example.com` do not
 * resolve (as on a machine without network), so tests never send a name to outside DNS.
 */
export const offlineResolver: HostResolver = async (hostname) => {
  if (hostname === 'localhost') return ['127.0.0.1'];
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
};

/** Builds a fresh harness with the usual cast of keys; `options` go to `createApp`. */
export async function createHarness(
  options: Pick<
    AppOptions,
    | 'callbackHosts'
    | 'allowLinkLocalCallbacks'
    | 'callbackResolver'
    | 'inputLimits'
    | 'policyApproval'
    | 'maxGrantLifetimeMs'
    | 'slack'
    | 'receipts'
  > & {
    /** Another store than the SQLite file (closed with the harness), e.g. PostgreSQL. */
    store?: Store;
  } = {},
): Promise<Harness> {
  const directory = mkdtempSync(join(tmpdir(), 'countersign-unit-'));
  const dbPath = join(directory, 'test.db');
  const store = options.store ?? openSqliteStore({ path: dbPath, synchronous: 'normal' });
  const clock = new ManualClock(Date.parse('2030-01-01T00:00:00Z'));
  const { app, context } = buildApp({
    callbackResolver: offlineResolver,
    ...options,
    store,
    clock,
    logError: () => undefined,
  });
  const scheduler = new Scheduler(context);
  const key = async (options: NewKeyOptions) =>
    (await store.transaction((tx) => createApiKey(tx, options))).key;
  const keys = {
    admin: await key({ role: 'admin', name: 'root' }),
    agent: await key({ role: 'agent', name: 'bot' }),
    agent2: await key({ role: 'agent', name: 'other-bot' }),
    alice: await key({ role: 'reviewer', name: 'alice', groups: ['ops'] }),
    bob: await key({ role: 'reviewer', name: 'bob', groups: ['ops', 'finance'] }),
    carol: await key({ role: 'reviewer', name: 'carol' }),
  };
  const raw = async (request: Request) => app.request(request);
  return {
    context,
    clock,
    scheduler,
    dbPath,
    keys,
    key,
    raw,
    async call(auth, method, path, body, headers = {}) {
      const init: RequestInit = {
        method,
        headers: {
          ...(auth ? { authorization: `Bearer ${auth}` } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
      };
      if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
      const response = await app.request(`http://localhost${path}`, init);
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = text;
      }
      return { status: response.status, body: parsed, text, headers: response.headers };
    },
    async advance(ms) {
      clock.advance(ms);
      await scheduler.runDue();
    },
    async close() {
      await context.schemas?.close();
      await store.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
