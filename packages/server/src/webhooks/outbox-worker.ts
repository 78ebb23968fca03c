import { traceparentOf } from '@countersign/core/telemetry';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { Agent, Dispatcher } from 'undici';
import { appendAudit } from '../audit/audit-chain.js';
import { isoTime } from '../clock.js';
import {
  auditNotification,
  deliverNotification,
  isNotification,
} from '../notify/deliver-notification.js';
import type { DeliveryResult } from '../observability/server-metrics.js';
import { inSpan } from '../observability/server-tracing.js';
import { fail } from '../service/failures.js';
import type { OutboxWrites, ServiceContext } from '../service/service-context.js';
import type { OutboxLane, OutboxMessage } from '../store/store-types.js';
import {
  linkLocalMessage,
  linkLocalRefusingAgent,
  linkLocalTarget,
  systemResolver,
} from './callback-addresses.js';
import { DeliveryLane } from './delivery-lane.js';
import { signWebhook } from './signer.js';
import { undici } from './undici-client.js';

/** Options for {@link OutboxWorker}; the defaults retry for a little over 24 hours. */
export interface OutboxWorkerOptions {
  /** Real milliseconds between polls (default 500). */
  pollIntervalMs?: number;
  /** First retry delay (default 5 s); doubles per attempt. */
  baseDelayMs?: number;
  /** Longest retry delay (default 1 h). */
  maxDelayMs?: number;
  /** Stop retrying once a message is this old (default 25 h). */
  giveUpAfterMs?: number;
  /** Per-attempt timeout in real milliseconds (default 10 s). */
  requestTimeoutMs?: number;
  /**
   * Attempts in flight at once per lane: webhooks, and each notification channel (default 50).
   * More rows are claimed as attempts end, so one slow attempt holds up nothing but its slot.
   */
  concurrency?: number;
  /** Random source in [0, 1) for jitter. */
  random?: () => number;
  /** Called when a run fails unexpectedly. */
  onError?: (error: unknown) => void;
}

// Claims and attempt records ride along in the commits of user changes (see `TransactionOptions`).
const BOOKKEEPING = { background: true } as const;

type Outcome =
  | { ok: true; status?: number }
  | { ok: false; status?: number; error: string; final?: boolean };

/**
 * Delivers the persisted outbox at least once: webhooks signed per Standard Webhooks, and
 * notifications (rows whose url is `notify:…`) through their channel, with the same backoff.
 */
export class OutboxWorker {
  readonly #context: ServiceContext;
  readonly #options: Required<OutboxWorkerOptions>;
  #timer: NodeJS.Timeout | undefined;
  // Woken by commits: webhooks, and one lane per configured channel so that a slow channel never
  // holds another's slots.
  readonly #webhooks: DeliveryLane;
  readonly #channels: ReadonlyMap<string, DeliveryLane>;
  readonly #lanes: DeliveryLane[];
  // Rows of a channel that is no longer configured (they fail): looked for on the poll only.
  readonly #leftovers: DeliveryLane;
  // Ids of the attempts in flight: a row claimed again meanwhile (its lease ran out under a clock
  // that jumped) is settled by the attempt already running, not sent twice.
  readonly #attempting = new Set<string>();
  #callbackAgent: Agent | undefined;

  constructor(context: ServiceContext, options: OutboxWorkerOptions = {}) {
    this.#context = context;
    this.#options = {
      pollIntervalMs: 500,
      baseDelayMs: 5_000,
      maxDelayMs: 3_600_000,
      giveUpAfterMs: 25 * 3_600_000,
      requestTimeoutMs: 10_000,
      concurrency: 50,
      random: Math.random,
      onError: () => undefined,
      ...options,
    };
    for (const name of [
      'pollIntervalMs',
      'baseDelayMs',
      'maxDelayMs',
      'giveUpAfterMs',
      'requestTimeoutMs',
      'concurrency',
    ] as const) {
      const value = this.#options[name];
      if (!Number.isFinite(value) || value < 1)
        throw fail('validation_failed', `${name} must be a positive number`);
    }
    if (this.#options.maxDelayMs < this.#options.baseDelayMs) {
      throw fail('validation_failed', 'maxDelayMs must be at least baseDelayMs');
    }
    const channels = [...(context.notifier?.channels.keys() ?? [])];
    this.#webhooks = this.#lane('webhooks');
    this.#channels = new Map(channels.map((channel) => [channel, this.#lane({ channel })]));
    this.#lanes = [this.#webhooks, ...this.#channels.values()];
    this.#leftovers = this.#lane('notifications');
  }

  #lane(lane: OutboxLane): DeliveryLane {
    const { store, clock } = this.#context;
    return new DeliveryLane(
      {
        claim: (limit) => {
          const now = clock.now();
          const leaseUntil = now + this.#options.requestTimeoutMs * 3;
          return store.transaction(
            (tx) => tx.claimDueOutbox(now, leaseUntil, limit, lane),
            BOOKKEEPING,
          );
        },
        deliver: async (message) => {
          if (this.#attempting.has(message.id)) return;
          this.#attempting.add(message.id);
          try {
            await this.#deliver(message);
          } finally {
            this.#attempting.delete(message.id);
          }
        },
        onError: this.#options.onError,
      },
      Math.floor(this.#options.concurrency),
    );
  }

  /** Starts polling the outbox. */
  start(): void {
    if (this.#timer) return;
    // The poll finds retries that came due; new rows are claimed on their commit's wake.
    this.#timer = setInterval(() => {
      for (const lane of [...this.#lanes, this.#leftovers]) lane.wake();
    }, this.#options.pollIntervalMs);
    this.#timer.unref();
  }

  /** Stops polling and waits for the deliveries in flight. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await Promise.all([...this.#lanes, this.#leftovers].map((lane) => lane.stop()));
    await this.#callbackAgent?.close();
    this.#callbackAgent = undefined;
  }

  /**
   * Claims newly committed rows into the free slots of their lanes, without waiting: the lanes a
   * commit wrote to, or every lane when it is not known.
   */
  wake(writes?: OutboxWrites): void {
    if (!writes) {
      for (const lane of this.#lanes) lane.wake();
      return;
    }
    if (writes.webhooks) this.#webhooks.wake();
    for (const channel of writes.channels) this.#channels.get(channel)?.wake();
  }

  /**
   * Attempts every due message and resolves, with how many attempts ended, once no lane has
   * anything due or in flight (rows committed meanwhile included).
   */
  async runDue(): Promise<number> {
    const counts = await Promise.all([...this.#lanes, this.#leftovers].map((lane) => lane.drain()));
    return counts.reduce((sum, count) => sum + count, 0);
  }

  /** The delay before attempt `attempts + 1`: exponential with jitter, capped. */
  retryDelay(attempts: number): number {
    const { baseDelayMs, maxDelayMs, random } = this.#options;
    const exponential = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.max(0, attempts - 1));
    return Math.round(exponential * (0.5 + random() * 0.5));
  }

  #deliver(message: OutboxMessage): Promise<void> {
    const facts = bodyFacts(message.body);
    const notification = isNotification(message);
    // `notify:CHANNEL:ADDRESS`: the channel is a bounded label; the address is never one.
    const channel = notification ? (message.url.split(':')[1] ?? 'notification') : undefined;
    const target = notification ? undefined : safeUrl(message.url);
    return inSpan(
      notification ? 'countersign.notification.deliver' : 'countersign.webhook.deliver',
      {
        parent: facts.traceparent,
        kind: SpanKind.CLIENT,
        attributes: {
          ...(notification
            ? { 'countersign.notification.channel': channel ?? 'notification' }
            : {
                'http.request.method': 'POST',
                'server.address': target?.hostname ?? 'unknown',
              }),
          'countersign.webhook.event': message.eventType,
          'countersign.webhook.attempt': message.attempts + 1,
          ...(facts.requestId ? { 'countersign.request.id': facts.requestId } : {}),
        },
      },
      async (span) => {
        const outcome: Outcome = notification
          ? await deliverNotification(this.#context, message, this.#options.requestTimeoutMs)
          : ((await this.#refused(message)) ?? (await this.#post(message)));
        if (outcome.status !== undefined) {
          span.setAttribute('http.response.status_code', outcome.status);
        }
        const result = await this.#settle(message, outcome, facts.requestId, notification);
        span.setAttribute('countersign.delivery.result', result);
        if (result !== 'delivered') span.setStatus({ code: SpanStatusCode.ERROR, message: result });
        this.#context.metrics?.delivery(
          channel ?? (message.webhookId ? 'webhook' : 'callback'),
          result,
          this.#context.clock.now() - message.createdAt,
        );
      },
    );
  }

  /** Stores what an attempt came to; returns the metrics' `result`. */
  async #settle(
    message: OutboxMessage,
    outcome: Outcome,
    requestId: string | null,
    notification: boolean,
  ): Promise<DeliveryResult> {
    const { store, clock } = this.#context;
    const now = clock.now();
    const next: OutboxMessage = { ...message, attempts: message.attempts + 1 };
    if (outcome.ok) {
      next.status = 'delivered';
      delete next.lastError;
    } else if (!notification && outcome.status === 410) {
      next.status = 'disabled';
      next.lastError = outcome.error;
    } else if (outcome.final || now - message.createdAt >= this.#options.giveUpAfterMs) {
      next.status = 'failed';
      next.lastError = outcome.error;
    } else {
      next.nextAttemptAt = now + this.retryDelay(next.attempts);
      next.lastError = outcome.error;
    }
    await store.transaction(async (tx) => {
      await tx.updateOutbox(next);
      if (next.status === 'disabled' && message.webhookId) {
        await tx.setWebhookEnabled(message.webhookId, false);
        await tx.disableOutboxFor(message.webhookId);
      }
      if (notification) {
        await auditNotification(tx, message, next, now);
      } else if (next.status !== 'pending') {
        await appendAudit(tx, {
          at: isoTime(now),
          type: `webhook.${next.status}`,
          requestId,
          actor: null,
          data: {
            messageId: message.id,
            url: message.url,
            eventType: message.eventType,
            attempts: next.attempts,
            ...(next.lastError ? { error: next.lastError } : {}),
          },
        });
      }
    }, BOOKKEEPING);
    return next.status === 'pending' ? 'retry' : next.status;
  }

  /**
   * A per-request callback (no subscription id) whose host left the allow-list after it was stored
   * is failed without a connection, so tightening the list also stops queued deliveries.
   */
  async #refused(message: OutboxMessage): Promise<Outcome | undefined> {
    if (message.webhookId) return undefined;
    const { callbackHosts, allowLinkLocalCallbacks, callbackResolver } = this.#context;
    if (callbackHosts && !callbackHosts.allows(message.url)) {
      return {
        ok: false,
        final: true,
        error:
          'Not sent: the callback host is not on the callback allow-list (callbackHosts); ' +
          'the operator must add it for such callbacks to be delivered',
      };
    }
    if (allowLinkLocalCallbacks) return undefined;
    const target = await linkLocalTarget(message.url, callbackResolver ?? systemResolver);
    if (!target) return undefined;
    return { ok: false, final: true, error: `Not sent: ${linkLocalMessage('callback', target)}` };
  }

  // Per-request callbacks connect only to addresses checked on the connection's own lookup.
  #dispatcher(message: OutboxMessage): Dispatcher | undefined {
    if (message.webhookId || this.#context.allowLinkLocalCallbacks) return undefined;
    this.#callbackAgent ??= linkLocalRefusingAgent(
      this.#context.callbackResolver ?? systemResolver,
    );
    return this.#callbackAgent;
  }

  async #post(message: OutboxMessage): Promise<Outcome> {
    const headers = signWebhook(
      message.secret,
      message.id,
      // The signature time is transmission time on the wall clock, which receivers check.
      Math.floor(Date.now() / 1000),
      message.body,
    );
    // Receivers that trace see the delivery as a child of its span, in the request's trace.
    const traceparent = traceparentOf();
    try {
      const dispatcher = this.#dispatcher(message);
      const response = await undici().fetch(message.url, {
        ...(dispatcher ? { dispatcher } : {}),
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(traceparent === undefined ? {} : { traceparent }),
          ...headers,
        },
        body: message.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.#options.requestTimeoutMs),
      });
      await response.body?.cancel().catch(() => undefined);
      if (response.status >= 200 && response.status < 300)
        return { ok: true, status: response.status };
      return { ok: false, status: response.status, error: `HTTP ${response.status}` };
    } catch (error) {
      return { ok: false, error: failureText(error) };
    }
  }
}

// fetch says only "fetch failed"; the reason (refused, reset, a refused address) is its cause.
function failureText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
}

// The Countersign envelope carries `data.requestId` and the request (with its traceparent); an
// Ambedo payload carries `watchId`.
function bodyFacts(body: string): { requestId: string | null; traceparent?: string } {
  try {
    const parsed = JSON.parse(body) as {
      data?: { requestId?: unknown; request?: { traceparent?: unknown } };
      watchId?: unknown;
    };
    const id = parsed.data?.requestId ?? parsed.watchId;
    const traceparent = parsed.data?.request?.traceparent;
    return {
      requestId: typeof id === 'string' ? id : null,
      ...(typeof traceparent === 'string' ? { traceparent } : {}),
    };
  } catch {
    return { requestId: null };
  }
}

function safeUrl(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}
