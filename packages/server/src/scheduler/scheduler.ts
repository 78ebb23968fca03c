import { isoTime } from '../clock.js';
import { inSpan } from '../observability/server-tracing.js';
import { fail } from '../service/failures.js';
import { applyJob } from '../service/scheduled-work.js';
import type { ServiceContext } from '../service/service-context.js';

/** Options for {@link Scheduler}. */
export interface SchedulerOptions {
  /** How often to look for due jobs, in real milliseconds (default 250). */
  pollIntervalMs?: number;
  /** Called when a run fails (the claim rolls back with it, so the job runs again next time). */
  onError?: (error: unknown) => void;
  /**
   * How long an Idempotency-Key keeps replaying its request, in milliseconds of the service clock
   * (default 7 days, at least 24 hours). Older keys are purged in small batches.
   */
  idempotencyRetentionMs?: number;
}

const DAY_MS = 24 * 3_600_000;
/** Default {@link SchedulerOptions.idempotencyRetentionMs}: 7 days. */
export const DEFAULT_IDEMPOTENCY_RETENTION_MS = 7 * DAY_MS;
/** The shortest retention accepted: keys must replay for at least 24 hours. */
export const MIN_IDEMPOTENCY_RETENTION_MS = DAY_MS;
const PURGE_BATCH = 500;
const PURGE_BATCHES_PER_RUN = 10;
const PURGE_EVERY_MS = 60_000;

/**
 * Drives deadlines, reminders and escalations from due times in the database. Each job is claimed
 * and applied in one transaction, so it fires once and survives restarts.
 */
export class Scheduler {
  readonly #context: ServiceContext;
  readonly #pollIntervalMs: number;
  readonly #onError: (error: unknown) => void;
  #timer: NodeJS.Timeout | undefined;
  #precise: NodeJS.Timeout | undefined;
  #running: Promise<number> | undefined;
  // A call during a run that may be past its last claim (the clock moved, a job was committed).
  #again = false;
  readonly #retentionMs: number;
  #nextPurgeAt = Number.NEGATIVE_INFINITY;

  constructor(context: ServiceContext, options: SchedulerOptions = {}) {
    this.#context = context;
    this.#pollIntervalMs = options.pollIntervalMs ?? 250;
    if (!Number.isFinite(this.#pollIntervalMs) || this.#pollIntervalMs < 10) {
      throw fail('validation_failed', 'pollIntervalMs must be at least 10');
    }
    this.#onError = options.onError ?? (() => undefined);
    this.#retentionMs = options.idempotencyRetentionMs ?? DEFAULT_IDEMPOTENCY_RETENTION_MS;
    if (!Number.isFinite(this.#retentionMs) || this.#retentionMs < MIN_IDEMPOTENCY_RETENTION_MS) {
      throw fail('validation_failed', 'idempotencyRetentionMs must be at least 24 hours');
    }
  }

  /** Starts polling. */
  start(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => {
      this.runDue().catch(this.#onError);
    }, this.#pollIntervalMs);
    this.#timer.unref();
  }

  /** Stops polling and waits for the current run. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    clearTimeout(this.#precise);
    this.#timer = undefined;
    this.#precise = undefined;
    await this.#running?.catch(() => undefined);
  }

  /**
   * Applies every job due now; resolves with how many ran. Concurrent calls share one run, which
   * then looks again before it ends, so a job due by the time of the call is never missed.
   */
  runDue(): Promise<number> {
    if (this.#running) this.#again = true;
    else {
      this.#running = this.#drain().finally(() => {
        this.#running = undefined;
      });
    }
    return this.#running;
  }

  async #drain(): Promise<number> {
    let count = 0;
    do {
      this.#again = false;
      count += await this.#claimEachDue();
      await this.#purgeIdempotency();
      await this.#armPreciseTimer();
    } while (this.#again);
    return count;
  }

  async #claimEachDue(): Promise<number> {
    // A run follows every commit and mostly finds nothing due: a read says so without a batch,
    // which would take the writer, and with it a log sync, just ahead of the next user change.
    const next = await this.#context.store.read((tx) => tx.nextJobDue());
    if (next === undefined || next > this.#context.clock.now()) return 0;
    let count = 0;
    for (;;) {
      const ran = await this.#context.store.transaction(async (tx) => {
        const now = this.#context.clock.now();
        const job = await tx.claimDueJob(now);
        if (!job) return false;
        const lagMs = Math.max(0, now - job.dueAt);
        // Each job is a root span of its own; the expiry or reminder it causes joins the
        // request's trace, linked to this one.
        await inSpan(
          'countersign.scheduler.job',
          {
            attributes: {
              'countersign.job.kind': job.kind,
              'countersign.request.id': job.requestId,
              'countersign.job.lag_ms': lagMs,
            },
          },
          () => applyJob(this.#context, tx, job),
        );
        tx.afterCommit(() => this.#context.metrics?.schedulerLag(job.kind, lagMs));
        return true;
      });
      if (!ran) return count;
      count++;
    }
  }

  // Each batch is its own short transaction so a large backlog never holds locks for long; a run
  // stops after a few batches and the next poll carries on.
  async #purgeIdempotency(): Promise<void> {
    const now = this.#context.clock.now();
    if (now < this.#nextPurgeAt) return;
    const before = isoTime(now - this.#retentionMs);
    for (let batch = 0; batch < PURGE_BATCHES_PER_RUN; batch++) {
      const purged = await this.#context.store.transaction((tx) =>
        tx.purgeIdempotency(before, PURGE_BATCH),
      );
      if (purged < PURGE_BATCH) {
        this.#nextPurgeAt = now + PURGE_EVERY_MS;
        return;
      }
    }
  }

  // Polling alone would fire up to one interval late; a timer for the next due row fires on time.
  async #armPreciseTimer(): Promise<void> {
    if (!this.#timer) return;
    const next = await this.#context.store.read((tx) => tx.nextJobDue());
    clearTimeout(this.#precise);
    this.#precise = undefined;
    if (next === undefined) return;
    const delay = next - this.#context.clock.now();
    if (delay >= this.#pollIntervalMs) return;
    this.#precise = setTimeout(
      () => {
        this.runDue().catch(this.#onError);
      },
      Math.max(0, delay),
    );
    this.#precise.unref();
  }
}
