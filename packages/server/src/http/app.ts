import { Hono } from 'hono';
import { axmeRoutes } from '../axme/axme-routes.js';
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import type { PolicyApprovalOptions } from '../service/central-policies.js';
import { ControlHub } from '../service/control-hub.js';
import { EventBus } from '../service/event-bus.js';
import { fail } from '../service/failures.js';
import { type InputLimits, resolveInputLimits } from '../service/input-limits.js';
import { DEFAULT_MAX_GRANT_LIFETIME_MS } from '../service/new-grant.js';
import { SchemaChecker } from '../service/schema-checker.js';
import type { ServiceContext } from '../service/service-context.js';
import type { Store } from '../store/store-types.js';
import type { HostResolver } from '../webhooks/callback-addresses.js';
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
import { controlRoutes, stopRoutes } from './routes-control.js';
import { grantRoutes } from './routes-grants.js';
import { longLivedRoutes } from './routes-long-lived.js';
import { metaRoutes } from './routes-meta.js';
import { policyRoutes } from './routes-policies.js';
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
   * Largest body of one `GET /v1/requests` page in bytes (default 4 MiB, at least 64 KiB). A page
   * ends early, with a `nextCursor`, before its items would pass it, so large requests cannot make
   * a list hold hundreds of megabytes; a single request larger than the budget still gets a page of
   * its own. Env `COUNTERSIGN_LIST_PAGE_MAX_BYTES`, flag `--list-page-max-bytes`.
   */
  listPageMaxBytes?: number;
  /**
   * Lets per-request callbacks point at link-local and cloud metadata addresses
   * (`169.254.0.0/16`, `fe80::/10`, `fd00:ec2::254`). Off by default: such a callback, by IP or by
   * a name resolving to one, is a 400 at create and is not delivered (checked again on the address
   * connected to). Env `COUNTERSIGN_ALLOW_LINK_LOCAL_CALLBACKS`, flag
   * `--allow-link-local-callbacks`. Default `false`.
   */
  allowLinkLocalCallbacks?: boolean;
  /**
   * Resolves callback host names to all their addresses for that check (default: `dns.lookup`
   * with `all`); for split-horizon DNS and tests.
   */
  callbackResolver?: HostResolver;
  /** Bounds on body depth, entries, string and schema sizes (see {@link InputLimits}). */
  inputLimits?: InputLimits;
  /**
   * The longest lifetime a grant may have, in ms (default 24 hours): a reviewer's or admin's
   * grant asking for longer is refused. Env `COUNTERSIGN_MAX_GRANT_LIFETIME`, flag
   * `--max-grant-lifetime`.
   */
  maxGrantLifetimeMs?: number;
  /**
   * Per-key request rates, per-address rates of failed authentication and per-key caps on open
   * long-polls and streams (see {@link LimitOptions} for each default). Bad values throw here.
   */
  limits?: LimitOptions;
  /**
   * Guards central policies with Countersign itself: when `required`, `policy push` opens a review
   * request (the diff in its context) for `assignees` (empty: any reviewer) with `quorum`
   * approvals, and the new version becomes active only once it is approved. Default: off, a push
   * activates at once.
   */
  policyApproval?: { required?: boolean; assignees?: readonly string[]; quorum?: number };
}

/** What the services of an app or a running server work on: storage, time and live events. */
export interface ServerContext {
  /** The storage. */
  readonly store: Store;
  /** The time source (a `ManualClock` in tests). */
  readonly clock: Clock;
  /** The live event fan-out that long-polls and event streams listen on. */
  readonly bus: EventBus;
}

/** The app and the context it runs on. */
export interface CountersignApp {
  app: Hono<AppEnv>;
  context: ServerContext;
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
  return buildApp(options);
}

/** {@link createApp} with the whole service context, which the workers run on (internal). */
export function buildApp(options: AppOptions): CountersignApp & { context: ServiceContext } {
  const limit = options.bodyLimitBytes ?? 1024 * 1024;
  if (!Number.isInteger(limit) || limit < 1024) {
    throw fail('validation_failed', 'bodyLimitBytes must be an integer of at least 1024');
  }
  if (
    options.allowLinkLocalCallbacks !== undefined &&
    typeof options.allowLinkLocalCallbacks !== 'boolean'
  ) {
    throw fail('validation_failed', 'allowLinkLocalCallbacks must be a boolean');
  }
  if (options.callbackResolver !== undefined && typeof options.callbackResolver !== 'function') {
    throw fail('validation_failed', 'callbackResolver must be a function');
  }
  const inputLimits = resolveInputLimits(options.inputLimits);
  const keepAliveMs = options.keepAliveMs ?? 15_000;
  if (!Number.isFinite(keepAliveMs) || keepAliveMs < 50) {
    throw fail('validation_failed', 'keepAliveMs must be at least 50');
  }
  const listPageMaxBytes = options.listPageMaxBytes ?? 4 * 1024 * 1024;
  if (!Number.isSafeInteger(listPageMaxBytes) || listPageMaxBytes < 64 * 1024) {
    throw fail('validation_failed', 'listPageMaxBytes must be an integer of at least 65536');
  }
  const maxGrantLifetimeMs = options.maxGrantLifetimeMs ?? DEFAULT_MAX_GRANT_LIFETIME_MS;
  if (!Number.isSafeInteger(maxGrantLifetimeMs) || maxGrantLifetimeMs < 1000) {
    throw fail('validation_failed', 'maxGrantLifetimeMs must be an integer of at least 1000');
  }
  const control = new ControlHub(options.store);
  const context: ServiceContext = {
    store: options.store,
    maxGrantLifetimeMs,
    control,
    clock: options.clock ?? systemClock,
    bus: options.bus ?? new EventBus(),
    inputLimits,
    schemas: new SchemaChecker({
      timeoutMs: inputLimits.schemaCheckTimeoutMs,
      maxExpansion: inputLimits.maxSchemaExpansion,
    }),
    allowLinkLocalCallbacks: options.allowLinkLocalCallbacks ?? false,
    ...(options.callbackResolver ? { callbackResolver: options.callbackResolver } : {}),
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
    c.set('inputLimits', inputLimits);
    await next();
  });
  const auth = authenticate(context.store, requestLimits);
  app.route('/', metaRoutes(context, auth));
  // Before /v1: the AXME paths take `x-api-key` and answer AXME error bodies, and only them.
  app.route('/', axmeRoutes(services, requestLimits, logError));

  const api = new Hono<AppEnv>();
  api.use('*', auth);
  const longLived = longLivedRoutes(services);
  api.route('/requests', longLived.perRequest);
  api.route('/requests', requestRoutes(context, listPageMaxBytes));
  api.route('/events', longLived.all);
  api.route('/audit', auditRoutes(context));
  api.route('/webhooks', webhookRoutes(context));
  api.route('/keys', keyRoutes(context));
  api.route('/grants', grantRoutes(context));
  api.route('/policies', policyRoutes(context, policyApprovalOf(options.policyApproval)));
  api.route('/control', controlRoutes(context, control, keepAlive));
  api.route('/stops', stopRoutes(context));
  app.route('/v1', api);

  const ambedo = new Hono<AppEnv>();
  ambedo.use('*', auth);
  ambedo.route('/', ambedoRoutes(context));
  app.route('/api', ambedo);

  app.route('/', dashboardRoutes(options.dashboardDir));
  return { app, context, nodeRoutes: fastWaitRoutes(services, requestLimits, logError) };
}

function policyApprovalOf(option: AppOptions['policyApproval']): PolicyApprovalOptions | undefined {
  if (!option?.required) return undefined;
  const quorum = option.quorum ?? 1;
  if (!Number.isSafeInteger(quorum) || quorum < 1 || quorum > 20) {
    throw fail('validation_failed', 'policyApproval.quorum must be a whole number from 1 to 20');
  }
  return { assignees: [...(option.assignees ?? [])], quorum };
}
