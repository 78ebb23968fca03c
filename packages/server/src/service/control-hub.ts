import type { Store, StoreTx } from '../store/store-types.js';

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

  #notify(): void {
    for (const listener of this.#listeners) listener();
  }

  async #poll(): Promise<void> {
    if (this.#polling) return;
    this.#polling = true;
    try {
      const generation = await this.#store.read((tx) => tx.getSetting(GENERATION));
      if (this.#seen === undefined) this.#seen = generation;
      else if (generation !== this.#seen) {
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
