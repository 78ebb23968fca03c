import type { GateDeny } from './gate-types.js';

/** Remembers rejected calls per run and fingerprint, least recently used first out. */
export class RejectionCache {
  readonly #entries = new Map<string, GateDeny>();
  constructor(private readonly capacity: number) {}

  get(runId: string, fingerprint: string): GateDeny | undefined {
    const key = `${runId}\u0000${fingerprint}`;
    const entry = this.#entries.get(key);
    if (entry !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, entry);
    }
    return entry;
  }

  set(runId: string, fingerprint: string, deny: GateDeny): void {
    if (this.capacity <= 0) return;
    const key = `${runId}\u0000${fingerprint}`;
    this.#entries.delete(key);
    this.#entries.set(key, deny);
    if (this.#entries.size > this.capacity) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
  }
}
