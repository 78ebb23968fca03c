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

/** A background worker that a commit can give work: the scheduler's jobs, the outbox's rows. */
export type BackgroundWork = 'scheduler' | 'outbox';

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
   * Called after commit when new scheduler jobs or outbox rows may be due (wakes the workers):
   * `worker` names the one with new work, none means both.
   */
  onWork?: (worker?: BackgroundWork) => void;
  /** The notification channels and link settings; unset: nobody is notified. */
  notifier?: Notifier;
  /** The Prometheus metrics, when `/metrics` is enabled (counted after each commit). */
  metrics?: ServerMetrics;
}
