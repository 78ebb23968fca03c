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

describe('a key revoked on one replica', () => {
  it('ends its streams and long-polls on another replica within the re-check interval', async () => {
    const schema = testSchema();
    const storeA = await openTestPostgresStore(schema);
    const storeB = await openTestPostgresStore(schema);
    const a = await startServer({ store: storeA, port: 0 });
    const b: RunningServer = await startServer({
      store: storeB,
      port: 0,
      limits: { keyRecheckMs: 50 },
    });
    cleanup = async () => {
      await Promise.all([a.close(), b.close()]);
      await dropSchema(schema);
    };
    const key = async (role: 'agent' | 'admin', name: string) =>
      (await storeA.transaction((tx) => createApiKey(tx, { role, name }))).key;
    const agent = await key('agent', 'bot');
    const admin = await key('admin', 'root');
    const auth = (value: string) => ({ authorization: `Bearer ${value}` });
    const created = await fetch(`${a.url}/v1/requests`, {
      method: 'POST',
      headers: { ...auth(agent), 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'deploy' }),
    });
    const { id } = (await created.json()) as { id: string };

    const stream = await openSse(`${b.url}/v1/events`, auth(agent));
    expect(stream.status).toBe(200);
    const poll = fetch(`${b.url}/v1/requests/${id}/wait?timeout=60`, { headers: auth(agent) });
    while (b.context.bus.size < 2) await new Promise((resolve) => setImmediate(resolve));

    const revoked = await fetch(`${a.url}/v1/keys/${agent.split('_')[1]}`, {
      method: 'DELETE',
      headers: auth(admin),
    });
    expect(revoked.status).toBe(204);
    expect((await poll).status).toBe(401);
    await stream.ended;
    expect(stream.drain().filter((message) => message.event !== 'comment')).toEqual([]);
  });
});
