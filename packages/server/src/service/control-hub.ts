import type { Store, StoreTx } from '../store/store-types.js';
import { readSharedControl, type SharedControl } from './control-state.js';

/** The setting every replica watches: it changes with each policy, shadow or stop change. */
const GENERATION = 'control.generation';

/**
 * Tells the gates' control streams that a policy, shadow or stop changed. In this process the
 * change is announced as its transaction commits; changes made by another replica sharing the
 * database are found by watching one setting every `pollMs`, only while streams are open.
 */
export class ControlHub {
  readonly #listeners = new Set<() => void>();
  readonly #store: Store;
  readonly #pollMs: number;
  #timer: NodeJS.Timeout | undefined;
  #seen: string | undefined;
  #polling = false;
  /** Bumped on every change; the shared reads below are only good for one generation. */
  #generation = 0;
  #shared = new Map<string, Promise<SharedControl>>();

  constructor(store: Store, pollMs = 250) {
    this.#store = store;
    this.#pollMs = pollMs;
  }

  /** Records a change in `tx`; the listeners hear of it once `tx` commits. */
  async changed(tx: StoreTx): Promise<void> {
    const generation = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
    await tx.setSetting(GENERATION, generation);
    tx.afterCommit(() => {
      this.#seen = generation;
      this.#notify();
    });
  }

  /** Listens to changes; returns the unsubscribe. */
  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    if (!this.#timer) {
      // Unwatched until now: another replica may have changed something meanwhile.
      this.#shared = new Map();
      this.#seen = undefined;
      this.#timer = setInterval(() => void this.#poll(), this.#pollMs);
      this.#timer.unref();
    }
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) {
        clearInterval(this.#timer);
        this.#timer = undefined;
      }
    };
  }

  /** How many streams listen (for tests and metrics). */
  get size(): number {
    return this.#listeners.size;
  }

  /**
   * What the gates of `policyName` share now, read once per change however many streams ask
   * (a stop reaching a hundred gates is one read, not a hundred).
   */
  shared(policyName: string | undefined): Promise<SharedControl> {
    const key = policyName ?? '';
    let read = this.#shared.get(key);
    if (!read) {
      const generation = this.#generation;
      read = this.#store.read((tx) => readSharedControl(tx, policyName));
      this.#shared.set(key, read);
      read.catch(() => {
        if (this.#generation === generation) this.#shared.delete(key);
      });
    }
    return read;
  }

  #notify(): void {
    this.#generation += 1;
    this.#shared = new Map();
    for (const listener of this.#listeners) listener();
  }

  async #poll(): Promise<void> {
    if (this.#polling) return;
    this.#polling = true;
    try {
      const generation = await this.#store.read((tx) => tx.getSetting(GENERATION));
      // Also on the first poll after a quiet spell: a change may have come in between the
      // streams' first read and this poll (streams send only what differs from what they sent).
      if (generation !== this.#seen) {
        this.#seen = generation;
        this.#notify();
      }
    } catch {
      // The database is briefly unreachable: the next poll tries again.
    } finally {
      this.#polling = false;
    }
  }
}
