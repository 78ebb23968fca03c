import { Hono } from 'hono';
import { axmeRoutes } from '../axme/axme-routes.js';
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
import { keyRoutes, webhookRoutes } from './routes-admin.js';
import { ambedoRoutes } from './routes-ambedo.js';
import { auditRoutes } from './routes-audit.js';
import { eventRoutes } from './routes-events.js';
import { metaRoutes } from './routes-meta.js';
import { requestRoutes } from './routes-requests.js';
import { waitRoutes } from './routes-wait.js';

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
   * Largest body of one `GET /v1/requests` page in bytes (default 4 MiB, at least 64 KiB). A page
   * ends early, with a `nextCursor`, before its items would pass it, so large requests cannot make
   * a list hold hundreds of megabytes; a single request larger than the budget still gets a page of
   * its own. Intended env `COUNTERSIGN_LIST_PAGE_MAX_BYTES`, flag `--list-page-max-bytes`.
   */
  listPageMaxBytes?: number;
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

/**
 * Builds the HTTP application: the /v1 API, the Ambedo- and AXME-compatible routes, health and the
 * dashboard.
 */
export function createApp(options: AppOptions): CountersignApp {
  const limit = options.bodyLimitBytes ?? 1024 * 1024;
  if (!Number.isInteger(limit) || limit < 1024) {
    throw new RangeError('bodyLimitBytes must be an integer of at least 1024');
  }
  const keepAliveMs = options.keepAliveMs ?? 15_000;
  if (!Number.isFinite(keepAliveMs) || keepAliveMs < 50) {
    throw new RangeError('keepAliveMs must be at least 50');
  }
  const listPageMaxBytes = options.listPageMaxBytes ?? 4 * 1024 * 1024;
  if (!Number.isSafeInteger(listPageMaxBytes) || listPageMaxBytes < 64 * 1024) {
    throw new RangeError('listPageMaxBytes must be an integer of at least 65536');
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
  const logError = options.logError ?? ((error: unknown) => console.error(error));
  const keepAlive = new KeepAlive(keepAliveMs);
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
  app.route('/', metaRoutes(context));
  // Before /v1: the AXME paths take `x-api-key` and answer AXME error bodies, and only them.
  app.route('/', axmeRoutes(context, keepAlive, logError));

  const api = new Hono<AppEnv>();
  api.use('*', authenticate(context.store));
  const events = eventRoutes(context, keepAlive);
  api.route('/requests', waitRoutes(context));
  api.route('/requests', events.perRequest);
  api.route('/requests', requestRoutes(context, listPageMaxBytes));
  api.route('/events', events.all);
  api.route('/audit', auditRoutes(context));
  api.route('/webhooks', webhookRoutes(context));
  api.route('/keys', keyRoutes(context));
  app.route('/v1', api);

  const ambedo = new Hono<AppEnv>();
  ambedo.use('*', authenticate(context.store));
  ambedo.route('/', ambedoRoutes(context));
  app.route('/api', ambedo);

  app.route('/', dashboardRoutes(options.dashboardDir));
  return { app, context, nodeRoutes: fastWaitRoutes(context, keepAlive, logError) };
}
