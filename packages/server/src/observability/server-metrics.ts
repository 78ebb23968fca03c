import { createRequire } from 'node:module';
import type { ApprovalRequest, RequestEventType } from '@countersign/core/protocol';
import type { Counter, Histogram, Registry } from 'prom-client';
import type { Clock } from '../clock.js';
import type { Store } from '../store/store-types.js';
import { BoundedLabel } from './bounded-label.js';
import type { DecisionChannel } from './decision-channel.js';

/** How long humans take, in seconds: from seconds (a watched dashboard) to a day. */
const DECISION_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 4 * 3600, 24 * 3600];
/** Background lag, in seconds: a healthy worker stays under a second. */
const LAG_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];
// Loaded by the first ServerMetrics: a server without metrics never pays for prom-client's code.
const require = createRequire(import.meta.url);
let promClient: typeof import('prom-client') | undefined;
const prometheus = () => {
  promClient ??= require('prom-client') as typeof import('prom-client');
  return promClient;
};

const HTTP_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** What a delivery attempt came to (the `result` label). */
export type DeliveryResult = 'delivered' | 'retry' | 'failed' | 'disabled';

/** What the scrape-time gauges read: open waits by transport, in this process. */
export interface LiveWaiterCounts {
  long_poll: number;
  sse: number;
}

/**
 * The server's Prometheus metrics, on a registry of their own (so several servers in one process
 * do not share counts). Every label is bounded: enums, route templates, and at most 200 distinct
 * policy rules and requesters each (then `other`). The pending and backlog gauges are read from
 * the store at scrape time, so they are right across replicas.
 */
export class ServerMetrics {
  /** The registry `/metrics` serves; register your own metrics on it too if you like. */
  readonly registry: Registry;
  readonly #rules = new BoundedLabel(200);
  readonly #requesters = new BoundedLabel(200);
  readonly #created: Counter<'kind' | 'rule' | 'requester'>;
  readonly #decided: Counter<'outcome' | 'channel'>;
  readonly #expired: Counter<'kind'>;
  readonly #cancelled: Counter<'kind'>;
  readonly #decisionSeconds: Histogram<'status'>;
  readonly #deliveries: Counter<'channel' | 'result'>;
  readonly #deliveryLag: Histogram<'channel'>;
  readonly #schedulerLag: Histogram<'job'>;
  readonly #http: Histogram<'method' | 'route' | 'status'>;
  readonly #relayLag: Histogram;
  #liveWaiters: () => LiveWaiterCounts = () => ({ long_poll: 0, sse: 0 });

  constructor(store: Store, clock: Clock, options: { processMetrics?: boolean } = {}) {
    const { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } = prometheus();
    this.registry = new Registry();
    const registers = [this.registry];
    if (options.processMetrics !== false) {
      collectDefaultMetrics({ register: this.registry, prefix: 'countersign_' });
    }
    this.#created = new Counter({
      name: 'countersign_requests_created_total',
      help: 'Requests created, by kind, policy rule and requester',
      labelNames: ['kind', 'rule', 'requester'],
      registers,
    });
    this.#decided = new Counter({
      name: 'countersign_requests_decided_total',
      help: 'Decisions recorded, by outcome and channel (api, dashboard, cli, slack, email_link, grant)',
      labelNames: ['outcome', 'channel'],
      registers,
    });
    this.#expired = new Counter({
      name: 'countersign_requests_expired_total',
      help: 'Requests that expired before a decision, by kind',
      labelNames: ['kind'],
      registers,
    });
    this.#cancelled = new Counter({
      name: 'countersign_requests_cancelled_total',
      help: 'Requests cancelled, by kind',
      labelNames: ['kind'],
      registers,
    });
    this.#decisionSeconds = new Histogram({
      name: 'countersign_request_decision_seconds',
      help: 'Time from create to the human resolution, by final status',
      labelNames: ['status'],
      buckets: DECISION_BUCKETS,
      registers,
    });
    this.#deliveries = new Counter({
      name: 'countersign_deliveries_total',
      help: 'Delivery attempts of webhooks, callbacks and notifications, by channel and result',
      labelNames: ['channel', 'result'],
      registers,
    });
    this.#deliveryLag = new Histogram({
      name: 'countersign_delivery_lag_seconds',
      help: 'Time from the event to its successful delivery, by channel',
      labelNames: ['channel'],
      buckets: LAG_BUCKETS,
      registers,
    });
    this.#schedulerLag = new Histogram({
      name: 'countersign_scheduler_lag_seconds',
      help: 'Time from a job being due (deadline, reminder, escalation) to it firing, by job',
      labelNames: ['job'],
      buckets: LAG_BUCKETS,
      registers,
    });
    this.#http = new Histogram({
      name: 'countersign_http_request_duration_seconds',
      help: 'HTTP requests served, by method, route template and status (_count is the request count)',
      labelNames: ['method', 'route', 'status'],
      buckets: HTTP_BUCKETS,
      registers,
    });
    this.#relayLag = new Histogram({
      name: 'countersign_postgres_relay_lag_seconds',
      help: "Time from another replica's commit to its event arriving here (PostgreSQL only)",
      buckets: LAG_BUCKETS,
      registers,
    });
    this.#storeGauges(store, clock, registers);
    new Gauge({
      name: 'countersign_emergency_stops_active',
      help: 'Emergency stops in force, by scope kind (all, agent, policy): alert on any',
      labelNames: ['scope'],
      registers,
      async collect() {
        const stops = await store.read((tx) => tx.listStops());
        // The kind only: agent and policy names are not bounded.
        for (const kind of ['all', 'agent', 'policy']) {
          const count = stops.filter((stop) => stop.scope.split(':')[0] === kind).length;
          this.set({ scope: kind }, count);
        }
      },
    });
    const waiters = (): LiveWaiterCounts => this.#liveWaiters();
    new Gauge({
      name: 'countersign_live_waiters',
      help: 'Open long-polls and event streams in this process, by transport',
      labelNames: ['transport'],
      registers,
      collect() {
        const counts = waiters();
        this.set({ transport: 'long_poll' }, counts.long_poll);
        this.set({ transport: 'sse' }, counts.sse);
      },
    });
  }

  #storeGauges(store: Store, clock: Clock, registers: Registry[]): void {
    const read = () => store.read((tx) => tx.backlog());
    let pending: Promise<Awaited<ReturnType<typeof read>>> | undefined;
    // The four gauges share one store read per scrape.
    const once = () => {
      pending ??= read().finally(() => {
        setImmediate(() => {
          pending = undefined;
        });
      });
      return pending;
    };
    const ageOf = (at: number | undefined) =>
      at === undefined ? 0 : Math.max(0, clock.now() - at) / 1000;
    const gauge = (
      name: string,
      help: string,
      value: (backlog: Awaited<ReturnType<typeof read>>) => number,
    ) =>
      new (prometheus().Gauge)({
        name,
        help,
        registers,
        async collect() {
          this.set(value(await once()));
        },
      });
    gauge(
      'countersign_requests_pending',
      'Requests waiting for a decision',
      (b) => b.pendingRequests,
    );
    gauge(
      'countersign_requests_oldest_pending_age_seconds',
      'Age of the oldest pending request (0 when none)',
      (b) => ageOf(b.oldestPendingAt),
    );
    gauge(
      'countersign_outbox_backlog',
      'Webhook and callback deliveries not yet done',
      (b) => b.outboxPending,
    );
    gauge(
      'countersign_outbox_oldest_age_seconds',
      'Age of the oldest undelivered outbox message (0 when none)',
      (b) => ageOf(b.oldestOutboxAt),
    );
  }

  /** Reads the open waits of this process at scrape time. */
  countLiveWaiters(read: () => LiveWaiterCounts): void {
    this.#liveWaiters = read;
  }

  /** Counts one committed change of a request; `channel` says how a decision came in. */
  changed(
    request: ApprovalRequest,
    type: RequestEventType,
    channel: DecisionChannel | undefined,
    outcome?: string,
  ): void {
    if (type === 'created') {
      this.#created.inc({
        kind: request.kind,
        rule: this.#rules.of(request.policy?.rule),
        requester: this.#requesters.of(request.requester),
      });
    } else if (type === 'decided') {
      this.#decided.inc({ outcome: outcome ?? 'unknown', channel: channel ?? 'api' });
    } else if (type === 'expired') {
      this.#expired.inc({ kind: request.kind });
    } else if (type === 'cancelled') {
      this.#cancelled.inc({ kind: request.kind });
    }
    if (type !== 'created' && request.resolution && request.status !== 'cancelled') {
      const seconds = (Date.parse(request.resolution.at) - Date.parse(request.createdAt)) / 1000;
      if (seconds >= 0) this.#decisionSeconds.observe({ status: request.status }, seconds);
    }
  }

  /**
   * Counts one delivery attempt. `channel` is `webhook` (subscriptions), `callback` (per-request
   * URLs) or a notification channel (`email`, `slack`, ...); `lagMs` is event-to-delivery time,
   * given for successful deliveries.
   */
  delivery(channel: string, result: DeliveryResult, lagMs?: number): void {
    this.#deliveries.inc({ channel, result });
    if (lagMs !== undefined && result === 'delivered') {
      this.#deliveryLag.observe({ channel }, Math.max(0, lagMs) / 1000);
    }
  }

  /** Records how late a scheduler job fired. */
  schedulerLag(job: string, lagMs: number): void {
    this.#schedulerLag.observe({ job }, Math.max(0, lagMs) / 1000);
  }

  /** Records one served HTTP request (`route` is the template, e.g. `/v1/requests/:id`). */
  http(method: string, route: string, status: number, seconds: number): void {
    this.#http.observe({ method, route, status: String(status) }, seconds);
  }

  /** Records how long another replica's event took to arrive. */
  relayLag(lagMs: number): void {
    this.#relayLag.observe(Math.max(0, lagMs) / 1000);
  }
}
