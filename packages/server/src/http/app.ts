import { Hono } from 'hono';
import { Authenticator, credentialGone, type ReviewerAuth } from '../auth/authenticator.js';
import type { IdentityProvider } from '../auth/oidc/identity-provider.js';
import { DEFAULT_SESSION_SETTINGS, type SessionSettings } from '../auth/sessions.js';
import { axmeRoutes } from '../axme/axme-routes.js';
import type { Clock } from '../clock.js';
import { systemClock } from '../clock.js';
import { decisionLinkRoutes } from '../notify/links/decision-link-routes.js';
import type { NotificationChannel } from '../notify/notification-types.js';
import { type DecisionLinkMode, Notifier } from '../notify/notifier.js';
import { observeHttp } from '../observability/http-observer.js';
import type { Logger, LogLevel } from '../observability/logger.js';
import { createLogger } from '../observability/logger.js';
import {
  type MetricsOptions,
  metricsEnabled,
  tokenMetricsRoute,
} from '../observability/metrics-endpoint.js';
import { ServerMetrics } from '../observability/server-metrics.js';
import { type ReceiptOptions, receiptIssuerFor } from '../receipts/receipt-options.js';
import type { PolicyApprovalOptions } from '../service/central-policies.js';
import { ControlHub } from '../service/control-hub.js';
import { EventBus } from '../service/event-bus.js';
import { fail } from '../service/failures.js';
import { type InputLimits, resolveInputLimits } from '../service/input-limits.js';
import { DEFAULT_MAX_GRANT_LIFETIME_MS } from '../service/new-grant.js';
import { SchemaChecker } from '../service/schema-checker.js';
import type { BackgroundWork, ServiceContext } from '../service/service-context.js';
import { slackChannel } from '../slack/slack-channel.js';
import { slackDirectory } from '../slack/slack-directory.js';
import { slackInteractionRoutes } from '../slack/slack-interactions.js';
import { SlackMessenger } from '../slack/slack-messenger.js';
import { type SlackOptions, slackSetup } from '../slack/slack-options.js';
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
import { authRoutes } from './routes-auth.js';
import { controlRoutes, stopRoutes } from './routes-control.js';
import { grantRoutes } from './routes-grants.js';
import { longLivedRoutes } from './routes-long-lived.js';
import { metaRoutes } from './routes-meta.js';
import { notificationRoutes, requestNotificationRoutes } from './routes-notifications.js';
import { policyRoutes } from './routes-policies.js';
import { executionRoutes, jwksRoutes, receiptRoutes } from './routes-receipts.js';
import { requestRoutes } from './routes-requests.js';
import { userRoutes } from './routes-users.js';

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
  /**
   * Called after commits that may have created due work (wakes the workers): `worker` names the
   * one with new work, none means both.
   */
  onWork?: (worker?: BackgroundWork) => void;
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
   * Ways to reach people (see `NotificationChannel`); `startServer` adds the email channel from
   * `smtpUrl`. None (the default): nobody is notified.
   */
  notificationChannels?: readonly NotificationChannel[];
  /**
   * The base of every link in every message, e.g. `https://countersign.example.com`. Env
   * `COUNTERSIGN_PUBLIC_URL`, flag `--public-url`. Default: the address the server listens on.
   */
  publicUrl?: string;
  /**
   * Where the links in messages lead: `decide` (default) a signed one-click decision page;
   * `sign-in` the dashboard, for teams that forbid decisions by possession of an email. Env
   * `COUNTERSIGN_DECISION_LINKS`, flag `--decision-links`.
   */
  decisionLinks?: DecisionLinkMode;
  /**
   * The key that signs decision links (at least 32 characters); default: one made on first use
   * and kept in the database, shared by replicas. Env `COUNTERSIGN_LINK_SECRET`, flag
   * `--link-secret`.
   */
  linkSecret?: string;
  /**
   * How reviewers sign in: `key` (API keys, the default without OpenID Connect), `oidc` (reviewer
   * keys are refused) or `both` (the default with it). Admin and agent keys work either way. Env
   * `COUNTERSIGN_REVIEWER_AUTH`, flag `--reviewer-auth`.
   */
  reviewerAuth?: ReviewerAuth;
  /**
   * The discovered OpenID provider (`discoverIdentityProvider`; `startServer` discovers it from
   * the `oidc` options); turns on "Sign in with" the provider. Needs `publicUrl`.
   */
  identityProvider?: IdentityProvider;
  /** Idle and absolute timeouts of signed-in sessions (see {@link SessionSettings}). */
  sessions?: SessionSettings;
  /**
   * Slack (see {@link SlackOptions}): on when `botToken` and `signingSecret` are set, off (and
   * `POST /integrations/slack/interactions` a 404) otherwise.
   */
  slack?: SlackOptions;
  /**
   * How decision receipts are signed: their lifetime and the secret that encrypts the signing
   * keys at rest (see {@link ReceiptOptions}). Bad values throw here.
   */
  receipts?: ReceiptOptions;
  /**
   * Where `GET /metrics` (Prometheus text format) is served: on a separate loopback `port`, or on
   * the API port behind a `token`. Off by default. See the README's "Operating Countersign".
   */
  metrics?: MetricsOptions;
  /**
   * Least severe level logged as JSON lines on stderr (`trace`, `debug`, `info`, `warn`, `error`,
   * `fatal`, `silent`); `info` logs one line per HTTP request. `startServer` defaults to `info`;
   * `createApp` logs nothing unless given this or a `logger`. Env `COUNTERSIGN_LOG_LEVEL`, flag
   * `--log-level`.
   */
  logLevel?: LogLevel;
  /** A pino logger to use instead of the one {@link logLevel} makes (code only). */
  logger?: Logger;
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
  /** The Prometheus metrics, when {@link AppOptions.metrics} enables them. */
  metrics?: ServerMetrics;
  /** The logger, when one is configured. */
  logger?: Logger;
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
export function buildApp(
  options: AppOptions,
): CountersignApp & { context: ServiceContext; slack: SlackMessenger | undefined } {
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
  const clock = options.clock ?? systemClock;
  const slackSettings = slackSetup(options.slack);
  const slack = slackSettings
    ? new SlackMessenger(
        { store: options.store, clock },
        slackSettings,
        () => context.notifier?.publicUrl,
      )
    : undefined;
  const control = new ControlHub(options.store);
  const context: ServiceContext = {
    store: options.store,
    maxGrantLifetimeMs,
    control,
    clock,
    bus: options.bus ?? new EventBus(),
    inputLimits,
    schemas: new SchemaChecker({
      timeoutMs: inputLimits.schemaCheckTimeoutMs,
      maxExpansion: inputLimits.maxSchemaExpansion,
    }),
    allowLinkLocalCallbacks: options.allowLinkLocalCallbacks ?? false,
    receipts: receiptIssuerFor(options.receipts),
    ...(options.callbackResolver ? { callbackResolver: options.callbackResolver } : {}),
    ...(options.onWork ? { onWork: options.onWork } : {}),
    ...(options.callbackHosts
      ? { callbackHosts: CallbackHostList.parse(options.callbackHosts) }
      : {}),
    notifier: new Notifier({
      channels: [
        ...(options.notificationChannels ?? []),
        ...(slackSettings && slack ? [slackChannel(slackSettings, slack)] : []),
      ],
      ...(options.publicUrl === undefined ? {} : { publicUrl: options.publicUrl }),
      ...(options.decisionLinks === undefined ? {} : { decisionLinks: options.decisionLinks }),
      ...(options.linkSecret === undefined ? {} : { linkSecret: options.linkSecret }),
    }),
  };
  // Without its trailing slash: the redirect URI and the allowed Origin are built from it.
  const publicUrl = options.publicUrl?.replace(/\/+$/, '');
  if (options.identityProvider && !publicUrl) {
    throw fail('validation_failed', 'identityProvider needs publicUrl (the redirect URI base)');
  }
  const sessions = { ...DEFAULT_SESSION_SETTINGS, ...options.sessions };
  const authenticator = new Authenticator({
    store: context.store,
    clock: context.clock,
    reviewerAuth: options.reviewerAuth ?? (options.identityProvider ? 'both' : 'key'),
    sessions,
    ...(options.identityProvider && publicUrl ? { publicUrl } : {}),
  });
  const limits = resolveLimits(options.limits);
  const requestLimits = new RequestLimits(limits);
  const logger = options.logger ?? (options.logLevel ? createLogger(options.logLevel) : undefined);
  const metrics = metricsEnabled(options.metrics)
    ? new ServerMetrics(context.store, context.clock)
    : undefined;
  if (metrics) context.metrics = metrics;
  const logError =
    options.logError ??
    (logger
      ? (error: unknown) => logger.error({ err: error }, 'unexpected error')
      : (error: unknown) => console.error(error));
  const keepAlive = new KeepAlive(keepAliveMs);
  const waits = new OpenWaits({
    store: context.store,
    bus: context.bus,
    maxPerKey: limits.maxConcurrentWaitsPerKey,
    recheckMs: limits.keyRecheckMs,
    logError,
    isGone: (tx, keyId) => credentialGone(tx, keyId, sessions, context.clock.now()),
  });
  metrics?.countLiveWaiters(() => waits.byTransport());
  const services = { context, keepAlive, waits, authenticator };
  const app = new Hono<AppEnv>();
  app.use('*', observeHttp({ metrics, logger }));
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
  const auth = authenticate(authenticator, requestLimits, context.bus);
  app.route('/', tokenMetricsRoute(metrics, options.metrics?.token));
  app.route('/', metaRoutes(context, auth));
  app.route(
    '/',
    authRoutes({
      context,
      authenticator,
      limits: requestLimits,
      ...(options.identityProvider ? { provider: options.identityProvider } : {}),
      ...(publicUrl ? { publicUrl } : {}),
    }),
  );
  app.route('/', jwksRoutes(context));
  // Before /v1: the AXME paths take `x-api-key` and answer AXME error bodies, and only them.
  app.route('/', axmeRoutes(services, requestLimits, logError));

  const api = new Hono<AppEnv>();
  api.use('*', auth);
  const longLived = longLivedRoutes(services);
  api.route('/requests', longLived.perRequest);
  api.route('/requests', requestRoutes(context, listPageMaxBytes));
  api.route('/requests', requestNotificationRoutes(context));
  api.route('/requests', executionRoutes(context));
  api.route('/events', longLived.all);
  api.route('/audit', auditRoutes(context));
  api.route('/webhooks', webhookRoutes(context));
  api.route('/keys', keyRoutes(context));
  api.route('/grants', grantRoutes(context));
  api.route('/users', userRoutes(context));
  api.route('/notifications', notificationRoutes(context));
  api.route('/receipts', receiptRoutes(context));
  api.route('/policies', policyRoutes(context, policyApprovalOf(options.policyApproval)));
  api.route('/control', controlRoutes(context, control, keepAlive));
  api.route('/stops', stopRoutes(context));
  app.route('/v1', api);

  const ambedo = new Hono<AppEnv>();
  ambedo.use('*', auth);
  ambedo.route('/', ambedoRoutes(context));
  app.route('/api', ambedo);

  app.route('/', decisionLinkRoutes(context));
  app.route('/', slackInteractionRoutes(context, slackSettings, slackDirectory, logError));

  app.route('/', dashboardRoutes(options.dashboardDir));
  return {
    app,
    context,
    slack,
    nodeRoutes: fastWaitRoutes(services, requestLimits, logError),
    ...(metrics ? { metrics } : {}),
    ...(logger ? { logger } : {}),
  };
}

function policyApprovalOf(option: AppOptions['policyApproval']): PolicyApprovalOptions | undefined {
  if (!option?.required) return undefined;
  const quorum = option.quorum ?? 1;
  if (!Number.isSafeInteger(quorum) || quorum < 1 || quorum > 20) {
    throw fail('validation_failed', 'policyApproval.quorum must be a whole number from 1 to 20');
  }
  return { assignees: [...(option.assignees ?? [])], quorum };
}
