import type { RequestEvent } from '@countersign/core/protocol';

/** Called with each committed event. */
export type EventListener = (event: RequestEvent) => void;

/** Called with the id of a key that was revoked. */
export type RevocationListener = (keyId: string) => void;

/**
 * Fans committed events out to live waiters and SSE streams in this process. It is a cache of the
 * events table, never the source of truth: streams replay from the database first.
 */
export class EventBus {
  readonly #byRequest = new Map<string, Set<EventListener>>();
  readonly #all = new Set<EventListener>();
  readonly #revokedKeys = new Set<string>();
  readonly #revocationListeners = new Set<RevocationListener>();
  readonly #disabledUsers = new Set<string>();
  readonly #disableListeners = new Set<(name: string) => void>();

  /** Delivers `event` to everyone listening to its request and to everything. */
  publish(event: RequestEvent): void {
    for (const listener of this.#byRequest.get(event.requestId) ?? []) listener(event);
    for (const listener of this.#all) listener(event);
  }

  /** Listens to one request's events (or every event with `'*'`); returns the unsubscribe. */
  subscribe(requestId: string | '*', listener: EventListener): () => void {
    if (requestId === '*') {
      this.#all.add(listener);
      return () => this.#all.delete(listener);
    }
    let listeners = this.#byRequest.get(requestId);
    if (!listeners) {
      listeners = new Set();
      this.#byRequest.set(requestId, listeners);
    }
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) this.#byRequest.delete(requestId);
    };
  }

  /**
   * Announces that an API key no longer grants access (revoked here, or found revoked by a
   * re-check), so open streams and long-polls of that key end.
   */
  revokeKey(keyId: string): void {
    if (this.#revokedKeys.has(keyId)) return;
    this.#revokedKeys.add(keyId);
    for (const listener of this.#revocationListeners) listener(keyId);
  }

  /** True once `revokeKey(keyId)` was announced in this process (a Set lookup, cheap per event). */
  isKeyRevoked(keyId: string): boolean {
    return this.#revokedKeys.has(keyId);
  }

  /** Listens to key revocations; returns the unsubscribe. */
  onKeyRevoked(listener: RevocationListener): () => void {
    this.#revocationListeners.add(listener);
    return () => this.#revocationListeners.delete(listener);
  }

  /**
   * Announces that a user was disabled (here, or found disabled by a re-check), so open streams
   * and long-polls of every key and session of that user end.
   */
  disableUser(name: string): void {
    if (this.#disabledUsers.has(name)) return;
    this.#disabledUsers.add(name);
    for (const listener of this.#disableListeners) listener(name);
  }

  /** Forgets a disable once the user is active again. */
  enableUser(name: string): void {
    this.#disabledUsers.delete(name);
  }

  /** True while a disable of user `name` stands in this process (a Set lookup, cheap per event). */
  isUserDisabled(name: string): boolean {
    return this.#disabledUsers.has(name);
  }

  /** Listens to user disables; returns the unsubscribe. */
  onUserDisabled(listener: (name: string) => void): () => void {
    this.#disableListeners.add(listener);
    return () => this.#disableListeners.delete(listener);
  }

  /** How many listeners one request has (or the every-event listeners with `'*'`). */
  listenerCount(requestId: string | '*'): number {
    return requestId === '*' ? this.#all.size : (this.#byRequest.get(requestId)?.size ?? 0);
  }

  /** How many listeners are attached (for tests and metrics). */
  get size(): number {
    let count = this.#all.size;
    for (const listeners of this.#byRequest.values()) count += listeners.size;
    return count;
  }
}
