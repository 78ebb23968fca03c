import type { RequestEvent } from '@countersign/core/protocol';
import type { Pool } from 'pg';

/** A local transaction's events, waiting for their turn to be announced. */
export interface Reservation {
  first: number;
  last: number;
  callbacks?: (() => void)[];
}

/**
 * Announces committed events in id order, whichever replica wrote them. Local transactions reserve
 * their (dense, commit-ordered) ids before COMMIT and run their after-commit callbacks when every
 * earlier id has been announced; events from other replicas are read from the table and handed to
 * the listeners. A stream that skips ids it has already sent therefore never misses one.
 */
export class EventRelay {
  readonly #pool: Pool;
  readonly #onError: (error: unknown) => void;
  readonly #listeners = new Set<(event: RequestEvent) => void>();
  readonly #reserved = new Map<number, Reservation>();
  #delivered: number;
  #fetching: Promise<void> | undefined;
  #again = false;
  #blocked = false;
  #closed = false;

  constructor(pool: Pool, delivered: number, onError: (error: unknown) => void) {
    this.#pool = pool;
    this.#delivered = delivered;
    this.#onError = onError;
  }

  /** Listens to events committed by other processes; returns the unsubscribe. */
  listen(listener: (event: RequestEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  reserve(ids: number[]): Reservation | undefined {
    const first = ids[0];
    const last = ids.at(-1);
    if (first === undefined || last === undefined) return undefined;
    const reservation: Reservation = { first, last };
    this.#reserved.set(first, reservation);
    return reservation;
  }

  committed(reservation: Reservation, callbacks: (() => void)[]): void {
    reservation.callbacks = callbacks;
    this.#drain();
    if (this.#blocked || this.#reserved.size > 0) this.poke();
  }

  cancel(reservation: Reservation): void {
    this.#reserved.delete(reservation.first);
    this.poke();
  }

  /** Reads events newer than the last announced one (coalesced: one read at a time). */
  poke(): void {
    if (this.#closed) return;
    if (this.#fetching) {
      this.#again = true;
      return;
    }
    this.#fetching = this.#fetch()
      .catch(this.#onError)
      .finally(() => {
        this.#fetching = undefined;
        if (this.#again) {
          this.#again = false;
          this.poke();
        }
      });
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#fetching;
  }

  // Runs local callbacks whose turn has come.
  #drain(): void {
    for (;;) {
      const next = this.#reserved.get(this.#delivered + 1);
      if (!next?.callbacks) return;
      this.#reserved.delete(next.first);
      this.#delivered = next.last;
      for (const callback of next.callbacks) callback();
    }
  }

  async #fetch(): Promise<void> {
    this.#blocked = false;
    for (;;) {
      const { rows } = await this.#pool.query<{ id: number; doc: string }>(
        'SELECT id, doc FROM events WHERE id > $1 ORDER BY id LIMIT 200',
        [this.#delivered],
      );
      for (const row of rows) {
        if (row.id <= this.#delivered) continue;
        if (row.id !== this.#delivered + 1) return;
        const local = this.#reserved.get(row.id);
        if (local) {
          if (!local.callbacks) {
            // Its COMMIT has not returned yet; `committed` carries on from here.
            this.#blocked = true;
            return;
          }
          this.#drain();
          continue;
        }
        this.#delivered = row.id;
        const event = JSON.parse(row.doc) as RequestEvent;
        for (const listener of this.#listeners) listener(event);
        this.#drain();
      }
      if (rows.length < 200) return;
    }
  }
}
