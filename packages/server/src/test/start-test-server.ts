import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiKey, type NewKeyOptions } from '../auth/api-keys.js';
import { ManualClock } from '../clock.js';
import { type RunningServer, type ServerOptions, startServer } from '../server.js';
import { openSqliteStore } from '../store/sqlite-store.js';
import {
  listenersOf,
  type WaitForListenersOptions,
  waitForListeners,
} from './wait-for-listeners.js';

/** Options for {@link startTestServer}. */
export interface TestServerOptions
  extends Omit<ServerOptions, 'store' | 'dbPath' | 'port' | 'host' | 'clock'> {
  /** The loopback port (default: a free one), for servers whose URL must be known in advance. */
  port?: number;
  /** Use a manual clock that moves only through `clock.advance(ms)`. */
  manualClock?: boolean;
  /** Start time of the manual clock (default: now). */
  startTime?: number;
}

/** A real server on a loopback port with a real SQLite file in a temporary folder. */
export interface TestServer {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** A key with the admin role (`user:admin`). */
  adminKey: string;
  /** Path of the SQLite file. */
  dbPath: string;
  /** Creates a key and returns it. */
  createKey(options: NewKeyOptions): Promise<string>;
  /** The server's clock; `advance` moves a manual clock and runs whatever fell due. */
  clock: { now(): number; advance(ms: number): Promise<void> };
  /** The running server, for tests that need the workers (a new one after {@link start}). */
  readonly server: RunningServer;
  /**
   * Stops the server as a restart or a deploy would: the port refuses connections and open
   * streams end, but the SQLite file stays for {@link start}.
   */
  stop(): Promise<void>;
  /** Starts a stopped server again on the same port and file. */
  start(): Promise<void>;
  /**
   * How many long-polls and event streams are waiting on `requestId` (every one when absent; the
   * `/v1/events` streams with `'*'`).
   */
  waiters(requestId?: string): number;
  /**
   * Resolves once exactly `count` long-polls and streams wait (see {@link waiters}); rejects after
   * `timeoutMs` (default 5000). Wait for this rather than sleeping "until the poll is parked".
   */
  waitForWaiters(count: number, options?: WaitForListenersOptions): Promise<void>;
  /** Stops the server and deletes the temporary folder. */
  close(): Promise<void>;
}

/** Starts a throwaway server for integration tests. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const directory = await mkdtemp(join(tmpdir(), 'countersign-test-'));
  const dbPath = join(directory, 'countersign.db');
  const manual = options.manualClock ? new ManualClock(options.startTime ?? Date.now()) : undefined;
  let store = openSqliteStore({ path: dbPath, synchronous: 'normal' });
  let server: RunningServer | undefined;
  const listen = async (port: number) => {
    server = await startServer({
      // Request lines would drown the test output; a test asking for logs passes its own level.
      logLevel: 'warn',
      ...options,
      store,
      port,
      host: '127.0.0.1',
      ...(manual ? { clock: manual } : {}),
    });
    return server;
  };
  const running = (): RunningServer => {
    if (!server) throw new Error('the test server is stopped');
    return server;
  };
  const first = await listen(options.port ?? 0);
  const clock = first.context.clock;
  const createKey = async (key: NewKeyOptions) =>
    (await store.transaction((tx) => createApiKey(tx, key, new Date(clock.now())))).key;
  const adminKey = await createKey({ role: 'admin', name: 'admin' });
  const stop = async () => {
    const stopping = server;
    server = undefined;
    await stopping?.close();
  };
  return {
    url: first.url,
    adminKey,
    dbPath,
    createKey,
    get server() {
      return running();
    },
    waiters: (requestId) => listenersOf(running().context.bus, requestId),
    waitForWaiters: (count, waitOptions) =>
      waitForListeners(running().context.bus, count, waitOptions),
    clock: {
      now: () => clock.now(),
      async advance(ms: number) {
        if (!manual) throw new Error('clock.advance needs startTestServer({ manualClock: true })');
        manual.advance(ms);
        await running().scheduler.runDue();
        await running().outbox.runDue();
      },
    },
    stop,
    async start() {
      if (server) throw new Error('the test server is already running');
      store = openSqliteStore({ path: dbPath, synchronous: 'normal' });
      await listen(first.port);
    },
    async close() {
      await stop();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
