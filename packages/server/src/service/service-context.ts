import type { Clock } from '../clock.js';
import type { Notifier } from '../notify/notifier.js';
import type { ServerMetrics } from '../observability/server-metrics.js';
import type { ReceiptIssuer } from '../receipts/receipt-signer.js';
import type { Store } from '../store/store-types.js';
import type { HostResolver } from '../webhooks/callback-addresses.js';
import type { CallbackHostList } from '../webhooks/callback-hosts.js';
import type { ControlHub } from './control-hub.js';
import type { EventBus } from './event-bus.js';
import type { ResolvedInputLimits } from './input-limits.js';
import type { SchemaChecker } from './schema-checker.js';

/** The outbox rows one commit wrote: webhook or callback rows, and the channels notified. */
export interface OutboxWrites {
  webhooks: boolean;
  channels: ReadonlySet<string>;
}

/** What every service operation needs. */
export interface ServiceContext {
  store: Store;
  clock: Clock;
  bus: EventBus;
  /** Hosts per-request callback URLs may point at; unset allows any http(s) URL. */
  callbackHosts?: CallbackHostList;
  /** Bounds on input sizes (default `DEFAULT_INPUT_LIMITS`). */
  inputLimits?: ResolvedInputLimits;
  /** Runs agent-supplied JSON Schemas off the event loop (default: one shared checker). */
  schemas?: SchemaChecker;
  /** Whether callbacks may point at link-local and metadata addresses (default false). */
  allowLinkLocalCallbacks?: boolean;
  /** Resolves callback host names to all their addresses (default `systemResolver`). */
  callbackResolver?: HostResolver;
  /** Announces policy, shadow and stop changes to the gates' control streams. */
  control?: ControlHub;
  /** The longest lifetime a grant may have, in ms (default 24 hours). */
  maxGrantLifetimeMs?: number;
  /** Signs the decision receipt of every approved tool call (unset: approvals carry none). */
  receipts?: ReceiptIssuer;
  /**
   * Called after commit when new scheduler jobs or outbox rows may be due (wakes the workers);
   * `outbox` says which outbox lanes the commit wrote to (unset: any of them may have rows).
   */
  onWork?: (outbox?: OutboxWrites) => void;
  /** The notification channels and link settings; unset: nobody is notified. */
  notifier?: Notifier;
  /** The Prometheus metrics, when `/metrics` is enabled (counted after each commit). */
  metrics?: ServerMetrics;
}
