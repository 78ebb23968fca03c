import type { OutboxMessage } from '../store/store-types.js';

/** How a lane takes its rows and delivers one. */
export interface LaneWork {
  /** Leases up to `limit` due rows of the lane. */
  claim(limit: number): Promise<OutboxMessage[]>;
  /** One attempt at one row, stored and audited before it resolves. */
  deliver(message: OutboxMessage): Promise<void>;
  /** Called when a claim or an attempt throws (the row's lease brings it back later). */
  onError(error: unknown): void;
}

/**
 * One lane of the outbox, delivered as a pipeline: up to `slots` attempts in flight, a claim for
 * more as soon as one ends while more may be due, and a claim at once when woken with a slot
 * free. A slow attempt holds only its own slot, so the rows behind it go out through the others
 * instead of after it, and a row committed while others are in flight does not wait for them.
 */
export class DeliveryLane {
  readonly #work: LaneWork;
  readonly #slots: number;
  readonly #flights = new Set<Promise<void>>();
  #claim: Promise<void> | undefined;
  // Due rows may exist that no claim took: set by a wake and by a claim that filled every slot.
  #maybeDue = false;
  #stopped = false;
  #attempted = 0;
  readonly #idle = new Set<() => void>();

  constructor(work: LaneWork, slots: number) {
    this.#work = work;
    this.#slots = slots;
  }

  /** Claims due rows into the free slots, without waiting for them (a commit or a poll calls it). */
  wake(): void {
    this.#maybeDue = true;
    this.#pump();
  }

  /** Wakes the lane and resolves, with how many attempts ended meanwhile, once it is idle. */
  async drain(): Promise<number> {
    const before = this.#attempted;
    const idle = new Promise<void>((resolve) => this.#idle.add(resolve));
    this.wake();
    await idle;
    return this.#attempted - before;
  }

  /** Claims nothing more and waits for the claim and the attempts in flight. */
  async stop(): Promise<void> {
    this.#stopped = true;
    while (this.#claim || this.#flights.size > 0) {
      await Promise.all([this.#claim, ...this.#flights]);
    }
    this.#pump();
  }

  #pump(): void {
    const free = this.#slots - this.#flights.size;
    if (!this.#stopped && !this.#claim && this.#maybeDue && free > 0) {
      this.#maybeDue = false;
      this.#claim = this.#work
        .claim(free)
        .then(
          (messages) => {
            if (messages.length === free) this.#maybeDue = true;
            for (const message of messages) this.#start(message);
          },
          // The next wake (a commit, the poll) claims again.
          (error: unknown) => this.#work.onError(error),
        )
        .finally(() => {
          this.#claim = undefined;
          this.#pump();
        });
      return;
    }
    const idle = !this.#claim && this.#flights.size === 0 && (this.#stopped || !this.#maybeDue);
    if (!idle) return;
    for (const resolve of this.#idle) resolve();
    this.#idle.clear();
  }

  #start(message: OutboxMessage): void {
    const flight: Promise<void> = this.#work
      .deliver(message)
      .catch((error: unknown) => this.#work.onError(error))
      .finally(() => {
        this.#flights.delete(flight);
        this.#attempted += 1;
        this.#pump();
      });
    this.#flights.add(flight);
  }
}
