import type { Clock } from '../clock.js';
import type { Store } from '../store/store-types.js';
import type { CallbackHostList } from '../webhooks/callback-hosts.js';
import type { EventBus } from './event-bus.js';

/** What every service operation needs. */
export interface ServiceContext {
  store: Store;
  clock: Clock;
  bus: EventBus;
  /** Hosts per-request callback URLs may point at; unset allows any http(s) URL. */
  callbackHosts?: CallbackHostList;
  /** Called after commit when new scheduler jobs or outbox rows may be due (wakes the workers). */
  onWork?: () => void;
}
