import { afterEach, describe, expect, it } from 'vitest';
import { createApiKey } from '../auth/api-keys.js';
import { type RunningServer, startServer } from '../server.js';
import { dropSchema, openTestPostgresStore, testSchema } from '../test-support/postgres.js';
import { until } from '../test-support/webhook-receiver.js';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

const relayed = async (server: RunningServer) => {
  const text = await (await fetch(server.metricsUrl as string)).text();
  return Number(/^countersign_postgres_relay_lag_seconds_count (\S+)$/m.exec(text)?.[1] ?? 0);
};

describe('countersign_postgres_relay_lag_seconds', () => {
  it('counts the events another replica committed, on the replica that receives them', async () => {
    const schema = testSchema();
    const storeA = await openTestPostgresStore(schema);
    const storeB = await openTestPostgresStore(schema);
    const common = { port: 0, logLevel: 'warn' as const, metrics: { port: 0 } };
    const a = await startServer({ store: storeA, ...common });
    const b = await startServer({ store: storeB, ...common });
    cleanup = async () => {
      await Promise.all([a.close(), b.close()]);
      await dropSchema(schema);
    };
    const agent = (
      await storeA.transaction((tx) => createApiKey(tx, { role: 'agent', name: 'bot' }))
    ).key;
    for (let index = 0; index < 3; index++) {
      const created = await fetch(`${a.url}/v1/requests`, {
        method: 'POST',
        headers: { authorization: `Bearer ${agent}`, 'content-type': 'application/json' },
        body: JSON.stringify({ action: `Deploy ${index}` }),
      });
      expect(created.status).toBe(201);
    }
    await until(async () => (await relayed(b)) >= 3, 'replica b to relay the three creates');
    // Its own commits are not relayed to a replica.
    expect(await relayed(a)).toBe(0);
    const text = await (await fetch(b.metricsUrl as string)).text();
    // Committed on a, so b counted no create of its own.
    expect(text).not.toMatch(/^countersign_requests_created_total\{/m);
    const sum = Number(/^countersign_postgres_relay_lag_seconds_sum (\S+)$/m.exec(text)?.[1]);
    expect(sum).toBeGreaterThanOrEqual(0);
    expect(sum).toBeLessThan(30);
  });
});
