import { afterEach, describe, expect, it } from 'vitest';
import { createApiKey } from '../../auth/api-keys.js';
import { type RunningServer, startServer } from '../../server.js';
import { dropSchema, openTestPostgresStore, testSchema } from '../../test-support/postgres.js';
import { openSse } from '../../test-support/sse.js';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

describe('control streams across replicas', () => {
  it('a stop and a push made on one replica reach the gates streaming from another', async () => {
    const schema = testSchema();
    const storeA = await openTestPostgresStore(schema);
    const storeB = await openTestPostgresStore(schema);
    const a: RunningServer = await startServer({ store: storeA, port: 0 });
    const b: RunningServer = await startServer({ store: storeB, port: 0 });
    cleanup = async () => {
      await Promise.all([a.close(), b.close()]);
      await dropSchema(schema);
    };
    const key = async (role: 'agent' | 'admin', name: string) =>
      (await storeA.transaction((tx) => createApiKey(tx, { role, name }))).key;
    const admin = await key('admin', 'root');
    const agent = await key('agent', 'bot');
    const call = (method: string, path: string, body: unknown) =>
      fetch(`${a.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect(
      (await call('POST', '/v1/policies/payments/versions', { text: 'version: 1\n' })).status,
    ).toBe(201);
    const stream = await openSse(`${b.url}/v1/control/stream?policy=payments`, {
      authorization: `Bearer ${agent}`,
    });
    const first = JSON.parse((await stream.next()).data);
    expect(first).toMatchObject({ policy: { version: 1 }, stop: null });

    expect((await call('POST', '/v1/stops', { scope: 'agent:bot', reason: 'drill' })).status).toBe(
      201,
    );
    let message = await stream.next();
    while (message.event !== 'state') message = await stream.next();
    expect(JSON.parse(message.data).stop).toMatchObject({ scope: 'agent:bot', reason: 'drill' });

    expect(
      (
        await call('POST', '/v1/policies/payments/versions', {
          text: 'version: 1\ndefault: deny\n',
        })
      ).status,
    ).toBe(201);
    message = await stream.next();
    while (message.event !== 'state') message = await stream.next();
    expect(JSON.parse(message.data).policy).toMatchObject({ version: 2 });
    stream.close();
  });
});
