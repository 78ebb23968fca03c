import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import type { Clock } from './clock.js';
import { optionLeaves, setValueAt, valueAt } from './config/option-tree.js';
import { resolveServerConfig } from './config/resolve-server-config.js';
import { SERVER_OPTIONS, type ServerConfig } from './config/server-options.js';
import { type AppOptions, buildApp, type ServerContext } from './http/app.js';
import { Scheduler, type SchedulerOptions } from './scheduler/scheduler.js';
import type { GroupCommitOptions } from './store/group-commit.js';
import { openConfiguredStore } from './store/open-configured-store.js';
import type { PostgresStore } from './store/postgres/postgres-store.js';
import type { Store } from './store/store-types.js';
import { OutboxWorker, type OutboxWorkerOptions } from './webhooks/outbox-worker.js';

/**
 * Options for {@link startServer}: the configuration `countersign serve` reads (see the README's
 * options table; `loadServerConfig` returns it) plus what only code can give, such as `store`,
 * `clock` and callbacks. Bad values throw a `ServerConfigError` (`validation_failed`) naming them.
 */
export interface ServerOptions extends Omit<AppOptions, 'store' | 'onWork'> {
  /** An open store; or give `dbPath` or `databaseUrl`. */
  store?: Store;
  /** SQLite file to open when no `store` or `databaseUrl` is given (default `./countersign.db`). */
  dbPath?: string;
  /** PostgreSQL database to open when no `store` is given, instead of the SQLite file. */
  databaseUrl?: string;
  /** PostgreSQL schema for `databaseUrl` (default `countersign`). */
  databaseSchema?: string;
  /** Port to listen on; 0 picks a free one (default 8787). */
  port?: number;
  /** Interface to bind (default 127.0.0.1). */
  host?: string;
  /** Scheduler tuning. */
  scheduler?: SchedulerOptions;
  /**
   * How concurrent state changes share one commit of the store opened from `dbPath` or
   * `databaseUrl` (default up to 64 changes, a batch open at most 2 ms). Ignored with `store`.
   */
  groupCommit?: GroupCommitOptions;
  /** Webhook delivery tuning. */
  outbox?: OutboxWorkerOptions;
}

/** A background worker of a running server; it also runs by itself, on a timer and on commits. */
export interface BackgroundWorker {
  /** Runs everything due now; resolves with how many items ran. Concurrent calls share one run. */
  runDue(): Promise<number>;
}

/** The webhook worker of a running server. */
export interface WebhookWorker extends BackgroundWorker {
  /** The delay before attempt `attempts + 1` of a failed delivery, in milliseconds (jittered). */
  retryDelay(attempts: number): number;
}

/** A running server. */
export interface RunningServer {
  /** `http://HOST:PORT` */
  url: string;
  /** The port it listens on (the chosen one when started with port 0). */
  port: number;
  /** The interface it is bound to. */
  host: string;
  /** Its store, clock and event bus. */
  context: ServerContext;
  /** Deadlines, reminders, escalations and the idempotency-key purge. */
  scheduler: BackgroundWorker;
  /** Webhook and callback delivery. */
  outbox: WebhookWorker;
  /** Stops the workers and the listener, closes open streams and the store. */
  close(): Promise<void>;
}

/** Starts the API, the scheduler and the webhook worker on one port. */
export async function startServer(given: ServerOptions = {}): Promise<RunningServer> {
  // Refuse bad options before opening anything.
  const options = withConfig(given);
  const store = options.store ?? (await openConfiguredStore(options));
  const { host } = options;
  let wake = () => undefined as undefined;
  const { app, context, nodeRoutes } = buildApp({ ...options, store, onWork: () => wake() });
  const logError = options.logError ?? ((error: unknown) => console.error(error));
  const scheduler = new Scheduler(context, { onError: logError, ...options.scheduler });
  const outbox = new OutboxWorker(context, { onError: logError, ...options.outbox });
  let closing = false;
  wake = () => {
    setImmediate(() => {
      if (closing) return;
      scheduler.runDue().catch(logError);
      outbox.runDue().catch(logError);
    });
  };
  const honoListener = getRequestListener(app.fetch);
  const server = createServer((request, response) => {
    if (!nodeRoutes(request, response)) void honoListener(request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // A store shared with other replicas announces their events; fan them out here like our own.
  const stopRelay =
    'listen' in store && typeof store.listen === 'function'
      ? (store as PostgresStore).listen((event) => {
          context.bus.publish(event);
          wake();
        })
      : undefined;
  scheduler.start();
  outbox.start();
  wake();
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    host,
    context,
    scheduler,
    outbox,
    async close() {
      closing = true;
      stopRelay?.();
      await scheduler.stop();
      await outbox.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await context.schemas?.close();
      await store.close();
    },
  };
}

/** The options with every configuration value checked, converted and defaulted. */
function withConfig(options: ServerOptions): ServerOptions & ServerConfig {
  const { config } = resolveServerConfig({ code: options });
  const merged: Record<string, unknown> = { ...options };
  for (const { path } of optionLeaves(SERVER_OPTIONS)) {
    const value = valueAt(config, path);
    if (value !== undefined) setValueAt(merged, path, value);
  }
  return merged as unknown as ServerOptions & ServerConfig;
}

export type { Clock };
