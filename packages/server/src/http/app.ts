import { Hono } from 'hono';
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import { EventBus } from '../service/event-bus.js';
import type { ServiceContext } from '../service/service-context.js';
import type { Store } from '../store/store-types.js';
import { CallbackHostList } from '../webhooks/callback-hosts.js';
import { type AppEnv, authenticate } from './auth-middleware.js';
import { dashboardRoutes } from './dashboard.js';
import { KeepAlive } from './event-stream.js';
import { fastWaitRoutes, type NodeRouteHandler } from './fast-waits.js';
import { errorResponse, handleError } from './http-errors.js';
import { OpenWaits } from './open-waits.js';
import { type LimitOptions, RequestLimits, resolveLimits } from './request-limits.js';
import { keyRoutes, webhookRoutes } from './routes-admin.js';
import { ambedoRoutes } from './routes-ambedo.js';
import { auditRoutes } from './routes-audit.js';
import { longLivedRoutes } from './routes-long-lived.js';
import { metaRoutes } from './routes-meta.js';
import { requestRoutes } from './routes-requests.js';

/** Options for {@link createApp}. */
export interface AppOptions {
  /** The storage (see `openSqliteStore`). */
  store: Store;
  /** The time source (default: the wall clock). */
  clock?: Clock;
  /** The live event fan-out (default: a new one). */
  bus?: EventBus;
  /** Largest accepted request body in bytes (default 1 MiB). */
  bodyLimitBytes?: number;
  /** Milliseconds between SSE keep-alive comments (default 15 000). */
  keepAliveMs?: number;
  /** Folder of the built dashboard (default `dist/dashboard` of this package). */
  dashboardDir?: string;
  /** Called after commits that may have created due work (wakes the workers). */
  onWork?: () => void;
  /** Receives unexpected errors (default: `console.error`). */
  logError?: (error: unknown) => void;
  /**
   * Hosts that per-request callback URLs (`callbackUrl`, Ambedo `webhookUrl`) may point at:
   * `host`, `host:port` or `*.domain` (subdomains). A create naming any other host is a 400
   * `validation_failed`, and stored callbacks to hosts no longer listed are not delivered.
   * Unset (the default) allows any http(s) URL, so any agent key can make the server POST to
   * internal addresses; set it when agents are not fully trusted. Malformed entries throw here.
   * Admin subscriptions (`/v1/webhooks`) are not restricted.
   */
  callbackHosts?: readonly string[];
  /**
   * Per-key request rates, per-address rates of failed authentication and per-key caps on open
   * long-polls and streams (see {@link LimitOptions} for each default). Bad values throw here.
   */
  limits?: LimitOptions;
}

/** The app and the service context it runs on. */
export interface CountersignApp {
  app: Hono<AppEnv>;
  context: ServiceContext;
  /**
   * The long-lived GET routes served on Node's request and response directly; `startServer` puts it
   * in front of the app (the app serves the same routes for `app.request()`).
   */
  nodeRoutes: NodeRouteHandler;
}

/** Builds the HTTP application: the /v1 API, the Ambedo-compatible routes, health and the dashboard. */
export function createApp(options: AppOptions): CountersignApp {
  const limit = options.bodyLimitBytes ?? 1024 * 1024;
  if (!Number.isInteger(limit) || limit < 1024) {
    throw new RangeError('bodyLimitBytes must be an integer of at least 1024');
  }
  const keepAliveMs = options.keepAliveMs ?? 15_000;
  if (!Number.isFinite(keepAliveMs) || keepAliveMs < 50) {
    throw new RangeError('keepAliveMs must be at least 50');
  }
  const context: ServiceContext = {
    store: options.store,
    clock: options.clock ?? systemClock,
    bus: options.bus ?? new EventBus(),
    ...(options.onWork ? { onWork: options.onWork } : {}),
    ...(options.callbackHosts
      ? { callbackHosts: CallbackHostList.parse(options.callbackHosts) }
      : {}),
  };
  const limits = resolveLimits(options.limits);
  const requestLimits = new RequestLimits(limits);
  const logError = options.logError ?? ((error: unknown) => console.error(error));
  const keepAlive = new KeepAlive(keepAliveMs);
  const waits = new OpenWaits({
    store: context.store,
    bus: context.bus,
    maxPerKey: limits.maxConcurrentWaitsPerKey,
    recheckMs: limits.keyRecheckMs,
    logError,
  });
  const services = { context, keepAlive, waits };
  const app = new Hono<AppEnv>();
  app.onError((error, c) => handleError(error, c, logError));
  app.notFound((c) => errorResponse(c, 'not_found', `No route ${c.req.method} ${c.req.path}`));
  // Bodies are read with this cap in readJson (hono/body-limit retained memory per request).
  app.use('*', async (c, next) => {
    const declared = Number(c.req.header('content-length') ?? Number.NaN);
    if (declared > limit) {
      return errorResponse(c, 'payload_too_large', `The body is larger than ${limit} bytes`);
    }
    c.set('bodyLimit', limit);
    await next();
  });
  const auth = authenticate(context.store, requestLimits);
  app.route('/', metaRoutes(context, auth));

  const api = new Hono<AppEnv>();
  api.use('*', auth);
  const longLived = longLivedRoutes(services);
  api.route('/requests', longLived.perRequest);
  api.route('/requests', requestRoutes(context));
  api.route('/events', longLived.all);
  api.route('/audit', auditRoutes(context));
  api.route('/webhooks', webhookRoutes(context));
  api.route('/keys', keyRoutes(context));
  app.route('/v1', api);

  const ambedo = new Hono<AppEnv>();
  ambedo.use('*', auth);
  ambedo.route('/', ambedoRoutes(context));
  app.route('/api', ambedo);

  app.route('/', dashboardRoutes(options.dashboardDir));
  return { app, context, nodeRoutes: fastWaitRoutes(services, requestLimits, logError) };
}
