import { apiKeyGone } from '../auth/api-keys.js';
import { principalStillValid } from '../auth/live-authorization.js';
import type { Principal } from '../auth/principal.js';
import type { EventBus } from '../service/event-bus.js';
import { fail } from '../service/failures.js';
import type { Store, StoreTx } from '../store/store-types.js';
import { rateLimited, WAIT_CAP_RETRY_SECONDS } from './request-limits.js';

/** One open long-poll or stream, as {@link OpenWaits} holds it. */
export interface OpenWait {
  /** Stops the wait early (its key was revoked). */
  end(): void;
  /** `sse` for an event stream; a long-poll otherwise (the metrics' `transport` label). */
  readonly transport?: 'sse';
}

/** What {@link OpenWaits} needs. */
export interface OpenWaitsOptions {
  store: Store;
  bus: EventBus;
  /** Waits one key may hold at once. */
  maxPerKey: number;
  /** Milliseconds between re-reads of the keys holding waits. */
  recheckMs: number;
  logError: (error: unknown) => void;
  /**
   * Whether the key (or session: `session:ID`) behind waits no longer works (default: the API key
   * is gone or revoked).
   */
  isGone?: (tx: StoreTx, keyId: string) => Promise<boolean>;
}

/**
 * The long-polls and SSE streams open in this process, by key. It caps how many one key holds and
 * ends them all when the key is revoked: at once for a revocation announced on the bus, and within
 * `recheckMs` for one made elsewhere (another replica, the offline CLI), found by re-reading the
 * keys that hold waits. Polling those few keys is store-neutral and needs no new event type; a
 * key revoked elsewhere keeps its open waits for at most one interval. A disabled user ends the
 * waits of all their keys the same two ways.
 */
export class OpenWaits {
  readonly #byKey = new Map<string, Set<OpenWait>>();
  /** The user behind each key holding waits (agents have none). */
  readonly #owners = new Map<string, string | undefined>();
  readonly #options: OpenWaitsOptions;
  #timer: NodeJS.Timeout | undefined;
  #checking = false;

  constructor(options: OpenWaitsOptions) {
    this.#options = options;
    options.bus.onKeyRevoked((keyId) => this.#endAll(keyId));
    options.bus.onUserDisabled((name) => {
      for (const [keyId, owner] of this.#owners) if (owner === name) this.#endAll(keyId);
    });
  }

  /**
   * Registers a wait (each registration its own object); returns its release. Throws 429 when the
   * key already holds its maximum, 401 when the key is known to be revoked.
   */
  open(principal: Principal, wait: OpenWait): () => void {
    const { keyId } = principal;
    if (!principalStillValid(this.#options.bus, principal)) {
      throw fail('unauthorized', 'The API key is unknown or revoked, or its user is disabled');
    }
    let waits = this.#byKey.get(keyId);
    if (waits && waits.size >= this.#options.maxPerKey) {
      rateLimited(
        `This API key already holds ${this.#options.maxPerKey} open waits and streams; close some first`,
        WAIT_CAP_RETRY_SECONDS,
        this.#options.maxPerKey,
      );
    }
    if (!waits) {
      waits = new Set();
      this.#byKey.set(keyId, waits);
      this.#owners.set(keyId, principal.role === 'agent' ? undefined : principal.name);
    }
    waits.add(wait);
    this.#startChecking();
    const held = waits;
    return () => {
      held.delete(wait);
      if (held.size === 0 && this.#byKey.get(keyId) === held) {
        this.#byKey.delete(keyId);
        this.#owners.delete(keyId);
      }
      if (this.#byKey.size === 0) this.#stopChecking();
    };
  }

  /** How many waits are open, by transport (read at metrics scrape time). */
  byTransport(): { long_poll: number; sse: number } {
    const counts = { long_poll: 0, sse: 0 };
    for (const waits of this.#byKey.values()) {
      for (const wait of waits) counts[wait.transport === 'sse' ? 'sse' : 'long_poll'] += 1;
    }
    return counts;
  }

  /** How many waits are open, over every key. */
  get size(): number {
    let count = 0;
    for (const waits of this.#byKey.values()) count += waits.size;
    return count;
  }

  /** Re-reads every key holding waits, and their users, and announces the ones no longer live. */
  async recheck(): Promise<void> {
    const keyIds = [...this.#byKey.keys()];
    if (keyIds.length === 0) return;
    const owners = new Set([...this.#owners.values()].filter((name) => name !== undefined));
    const { gone, disabled } = await this.#options.store.read(async (tx) => {
      const found = { gone: [] as string[], disabled: [] as string[] };
      const isGone = this.#options.isGone ?? apiKeyGone;
      for (const keyId of keyIds) {
        if (await isGone(tx, keyId)) found.gone.push(keyId);
      }
      for (const name of owners) {
        if ((await tx.getUser(name))?.active === false) found.disabled.push(name);
      }
      return found;
    });
    for (const keyId of gone) this.#options.bus.revokeKey(keyId);
    for (const name of disabled) this.#options.bus.disableUser(name);
  }

  #endAll(keyId: string): void {
    const waits = this.#byKey.get(keyId);
    if (!waits) return;
    this.#byKey.delete(keyId);
    this.#owners.delete(keyId);
    if (this.#byKey.size === 0) this.#stopChecking();
    for (const wait of waits) wait.end();
  }

  #startChecking(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => {
      if (this.#checking) return;
      this.#checking = true;
      this.recheck()
        .catch(this.#options.logError)
        .finally(() => {
          this.#checking = false;
        });
    }, this.#options.recheckMs);
    this.#timer.unref();
  }

  #stopChecking(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
