import { verifyReceipt } from '@countersign/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createApiKey } from '../auth/api-keys.js';
import { type RunningServer, startServer } from '../server.js';
import { dropSchema, openTestPostgresStore, testSchema } from '../test-support/postgres.js';

const SECRET = 'replicas-share-this-signing-key-secret-0123';
let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

async function call(
  server: RunningServer,
  key: string | undefined,
  method: string,
  path: string,
  body?: unknown,
) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  // biome-ignore lint/suspicious/noExplicitAny: tests read replies loosely
  return { status: response.status, body: (await response.json()) as any };
}

describe('receipts on two PostgreSQL replicas with one secret', () => {
  it('share one signing key, and a receipt is consumed once across both', async () => {
    const schema = testSchema();
    const storeA = await openTestPostgresStore(schema);
    const storeB = await openTestPostgresStore(schema);
    const receipts = { signingKeySecret: SECRET };
    const a = await startServer({ store: storeA, port: 0, receipts });
    const b = await startServer({ store: storeB, port: 0, receipts });
    cleanup = async () => {
      await Promise.all([a.close(), b.close()]);
      await dropSchema(schema);
    };
    const key = async (role: 'agent' | 'reviewer', name: string) =>
      (await storeA.transaction((tx) => createApiKey(tx, { role, name }))).key;
    const agent = await key('agent', 'bot');
    const reviewer = await key('reviewer', 'alice');
    const toolA = await key('agent', 'tool-a');
    const toolB = await key('agent', 'tool-b');

    const jwksA = (await call(a, undefined, 'GET', '/.well-known/jwks.json')).body;
    const jwksB = (await call(b, undefined, 'GET', '/.well-known/jwks.json')).body;
    expect(jwksA.keys).toHaveLength(1);
    expect(jwksB).toEqual(jwksA);

    const tool = { name: 'pay', args: { amount: 5 } };
    const created = await call(a, agent, 'POST', '/v1/requests', { action: 'pay', tool });
    const decided = await call(b, reviewer, 'POST', `/v1/requests/${created.body.id}/decisions`, {
      outcome: 'approve',
    });
    const { receipt, receiptId } = decided.body.resolution;
    await verifyReceipt(receipt, { toolName: 'pay', args: tool.args, jwks: jwksA });
    const path = `/v1/receipts/${receiptId}/consume`;
    const [first, second] = await Promise.all([
      call(a, toolA, 'POST', path, { receipt }),
      call(b, toolB, 'POST', path, { receipt }),
    ]);
    expect([first.status, second.status].sort()).toEqual([200, 409]);
    const [started, racing] = await Promise.all([
      call(a, agent, 'POST', `/v1/requests/${created.body.id}/execution`, {
        state: 'executing',
        attempt: 'a',
      }),
      call(b, agent, 'POST', `/v1/requests/${created.body.id}/execution`, {
        state: 'executing',
        attempt: 'b',
      }),
    ]);
    expect([started.status, racing.status].sort()).toEqual([200, 409]);
  });
});
