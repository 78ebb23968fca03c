import { CountersignError } from '@countersign/core/protocol';
import { describe, expect, it } from 'vitest';
import { createApp } from '../http/app.js';
import { openSqliteStore } from '../store/sqlite-store.js';
import { OutboxWorker } from '../webhooks/outbox-worker.js';
import { Scheduler } from './scheduler.js';

describe('bad configuration is refused at construction', () => {
  it('checks the app, scheduler and outbox options', async () => {
    const store = openSqliteStore({ path: ':memory:' });
    expect(() => createApp({ store, bodyLimitBytes: 10 })).toThrow(/bodyLimitBytes/);
    expect(() => createApp({ store, keepAliveMs: 0 })).toThrow(/keepAliveMs/);
    const { context } = createApp({ store });
    expect(() => new Scheduler(context, { pollIntervalMs: 0 })).toThrow(/pollIntervalMs/);
    expect(() => new Scheduler(context, { idempotencyRetentionMs: 23 * 3_600_000 })).toThrow(
      /at least 24 hours/,
    );
    expect(() => new Scheduler(context, { idempotencyRetentionMs: Number.NaN })).toThrow(
      /idempotencyRetentionMs/,
    );
    expect(() => new OutboxWorker(context, { baseDelayMs: Number.NaN })).toThrow(/baseDelayMs/);
    expect(() => new OutboxWorker(context, { baseDelayMs: 10, maxDelayMs: 5 })).toThrow(
      /maxDelayMs/,
    );
    await store.close();
  });

  it('throws the core CountersignError with code validation_failed, not a RangeError', async () => {
    const store = openSqliteStore({ path: ':memory:' });
    const { context } = createApp({ store });
    const attempts = [
      () => createApp({ store, bodyLimitBytes: 10 }),
      () => new Scheduler(context, { pollIntervalMs: 0 }),
      () => new OutboxWorker(context, { maxDelayMs: 0 }),
      () => createApp({ store, callbackHosts: ['a.example', ''] }),
    ];
    for (const attempt of attempts) {
      let thrown: unknown;
      try {
        attempt();
      } catch (error) {
        thrown = error;
      }
      expect(CountersignError.hasCode(thrown, 'validation_failed')).toBe(true);
      expect(thrown).not.toBeInstanceOf(RangeError);
    }
    await store.close();
  });
});
