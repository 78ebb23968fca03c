import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import type { Clock } from './clock.js';
import { type AppOptions, createApp } from './http/app.js';
import { Scheduler, type SchedulerOptions } from './scheduler/scheduler.js';
import type { ServiceContext } from './service/service-context.js';
import type { PostgresStore } from './store/postgres/postgres-store.js';
import { openSqliteStore } from './store/sqlite-store.js';
import type { Store } from './store/store-types.js';
import { CallbackHostList } from './webhooks/callback-hosts.js';
import { OutboxWorker, type OutboxWorkerOptions } from './webhooks/outbox-worker.js';

/** Options for {@link startServer}. */
export interface ServerOptions extends Omit<AppOptions, 'store' | 'onWork'> {
  /** An open store; or give `dbPath`. */
  store?: Store;
  /** SQLite file to open when no `store` is given (default `./countersign.db`). */
  dbPath?: string;
  /** Port to listen on; 0 picks a free one (default 8787). */
  port?: number;
  /** Interface to bind (default 127.0.0.1). */
  host?: string;
  /** Scheduler tuning. */
  scheduler?: SchedulerOptions;
  /** Webhook delivery tuning. */
  outbox?: OutboxWorkerOptions;
}

/** A running server. */
export interface RunningServer {
  /** `http://HOST:PORT` */
  url: string;
  port: number;
  host: string;
  context: ServiceContext;
  scheduler: Scheduler;
  outbox: OutboxWorker;
  /** Stops the workers and the listener, closes open streams and the store. */
  close(): Promise<void>;
}

/** Starts the API, the scheduler and the webhook worker on one port. */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  // Refuse a malformed allow-list before opening anything.
  if (options.callbackHosts) CallbackHostList.parse(options.callbackHosts);
  const store = options.store ?? openSqliteStore({ path: options.dbPath ?? './countersign.db' });
  const host = options.host ?? '127.0.0.1';
  let wake = () => undefined as undefined;
  const { app, context, nodeRoutes } = createApp({ ...options, store, onWork: () => wake() });
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
    server.listen(options.port ?? 8787, host, () => {
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

export type { Clock };
