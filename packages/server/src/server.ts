import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { listenForMetrics } from '@countersign/core/telemetry';
import { getRequestListener } from '@hono/node-server';
import { ROOT_CONTEXT, context as traceContext } from '@opentelemetry/api';
import {
  discoverIdentityProvider,
  type IdentityProvider,
  type OidcOptions,
} from './auth/oidc/identity-provider.js';
import type { Clock } from './clock.js';
import { optionLeaves, setValueAt, valueAt } from './config/option-tree.js';
import { resolveServerConfig } from './config/resolve-server-config.js';
import { SERVER_OPTIONS, type ServerConfig } from './config/server-options.js';
import { type AppOptions, buildApp, type ServerContext } from './http/app.js';
import { emailChannel } from './notify/email/email-channel.js';
import { createLogger } from './observability/logger.js';
import { observeNodeRoute } from './observability/node-route-observer.js';
import type { ServerMetrics } from './observability/server-metrics.js';
import { Scheduler, type SchedulerOptions } from './scheduler/scheduler.js';
import type { OutboxWrites } from './service/service-context.js';
import { SlackProgress } from './slack/slack-progress.js';
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
  /**
   * Turns on email notifications through this SMTP relay: `smtp://user:pass@host:587` (STARTTLS
   * when offered) or `smtps://…`. Checked at start. Env `COUNTERSIGN_SMTP_URL`, flag `--smtp-url`.
   */
  smtpUrl?: string;
  /**
   * The From of notification emails (default `Countersign <countersign@HOST>`, HOST from the
   * public URL). Env `COUNTERSIGN_MAIL_FROM`, flag `--mail-from`.
   */
  mailFrom?: string;
  /**
   * OpenID Connect sign-in for reviewers (see the README's "Signing in with OpenID Connect"):
   * the provider is discovered at start, and an unreachable issuer fails the start.
   */
  oidc?: OidcOptions;
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
  /** Resolves once every Slack progress update started so far is done (at once when Slack is off). */
  slackIdle(): Promise<void>;
  /** The Prometheus metrics, when `metrics` enables them (register your own on its registry). */
  metrics?: ServerMetrics;
  /** `http://HOST:PORT/metrics` of the separate metrics listener, when `metrics.port` is set. */
  metricsUrl?: string;
  /** Stops the workers and the listener, closes open streams and the store. */
  close(): Promise<void>;
}

/** Starts the API, the scheduler and the webhook worker on one port. */
export async function startServer(given: ServerOptions = {}): Promise<RunningServer> {
  // Refuse bad options before opening anything.
  const options = withConfig(given);
  const identityProvider = await identityProviderFor(options);
  const store = options.store ?? (await openConfiguredStore(options));
  const { host } = options;
  let wake = (_writes?: OutboxWrites) => undefined as undefined;
  const logger = options.logger ?? createLogger(options.logLevel ?? 'info');
  let linkBase = () => 'http://127.0.0.1';
  const channels = [...(options.notificationChannels ?? [])];
  if (options.smtpUrl) {
    const { clock = { now: () => Date.now() } } = options;
    channels.push(
      emailChannel({
        smtpUrl: options.smtpUrl,
        ...(options.mailFrom ? { from: options.mailFrom } : {}),
        publicUrl: () => linkBase(),
        now: () => clock.now(),
      }),
    );
  }
  const { app, context, nodeRoutes, slack, metrics } = buildApp({
    ...options,
    logger,
    store,
    notificationChannels: channels,
    onWork: (writes) => wake(writes),
    ...(identityProvider ? { identityProvider } : {}),
  });
  linkBase = () => context.notifier?.publicUrl ?? 'http://127.0.0.1';
  try {
    await context.notifier?.verify();
  } catch (error) {
    if (!options.store) await store.close();
    throw error;
  }
  const logError =
    options.logError ?? ((error: unknown) => logger.error({ err: error }, 'unexpected error'));
  const scheduler = new Scheduler(context, { onError: logError, ...options.scheduler });
  const outbox = new OutboxWorker(context, { onError: logError, ...options.outbox });
  const slackProgress = slack ? new SlackProgress(context, slack, logError) : undefined;
  let closing = false;
  // The commits of one turn (one batch) wake the workers once, with every outbox lane they wrote to.
  let woken: { any: boolean; webhooks: boolean; channels: Set<string> } | undefined;
  wake = (writes) => {
    const first = woken === undefined;
    woken ??= { any: false, webhooks: false, channels: new Set() };
    if (!writes) woken.any = true;
    else {
      woken.webhooks ||= writes.webhooks;
      for (const channel of writes.channels) woken.channels.add(channel);
    }
    if (!first) return;
    // Background work starts in no trace: it is not part of the request whose commit woke it.
    traceContext.with(ROOT_CONTEXT, () =>
      setImmediate(() => {
        const due = woken;
        woken = undefined;
        if (closing || !due) return;
        scheduler.runDue().catch(logError);
        outbox.wake(due.any ? undefined : due);
      }),
    );
  };
  // The first start makes a signing key, so the key set is published before any approval.
  const receipts = context.receipts;
  if (receipts) {
    await store.transaction((tx) =>
      receipts.keys.active(tx, new Date(context.clock.now()).toISOString()),
    );
  }
  const honoListener = getRequestListener(app.fetch);
  const server = createServer((request, response) => {
    if (!nodeRoutes(request, response)) void honoListener(request, response);
    else if (metrics) observeNodeRoute(request, response, metrics);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  context.notifier?.defaultPublicUrl(url);
  // A store shared with other replicas announces their events; fan them out here like our own.
  const stopRelay =
    'listen' in store && typeof store.listen === 'function'
      ? (store as PostgresStore).listen((event) => {
          metrics?.relayLag(context.clock.now() - Date.parse(event.at));
          context.bus.publish(event);
          wake();
        })
      : undefined;
  const metricsPort = options.metrics?.port;
  const metricsListener =
    metrics && metricsPort !== undefined
      ? await listenForMetrics(metrics.registry, metricsPort, options.metrics?.host ?? '127.0.0.1')
      : undefined;
  scheduler.start();
  outbox.start();
  slackProgress?.start();
  wake();
  logger.info({ host, port, metrics: metricsListener?.url }, 'listening');
  return {
    url,
    port,
    host,
    context,
    scheduler,
    outbox,
    slackIdle: async () => slackProgress?.idle(),
    ...(metrics ? { metrics } : {}),
    ...(metricsListener ? { metricsUrl: metricsListener.url } : {}),
    async close() {
      closing = true;
      stopRelay?.();
      await metricsListener?.close();
      await scheduler.stop();
      await outbox.stop();
      await slackProgress?.stop();
      await context.notifier?.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await context.schemas?.close();
      await store.close();
    },
  };
}

/** Discovers the OpenID provider of `oidc.issuer` (none without it); fails the start if unreachable. */
async function identityProviderFor(
  options: ServerOptions & ServerConfig,
): Promise<IdentityProvider | undefined> {
  if (options.identityProvider) return options.identityProvider;
  const { issuer, clientId } = options.oidc;
  if (issuer === undefined || clientId === undefined) return undefined;
  return discoverIdentityProvider({ ...options.oidc, issuer, clientId });
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
