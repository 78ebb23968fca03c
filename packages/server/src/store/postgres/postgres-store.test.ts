import { describe, expect, it } from 'vitest';
import {
  dropSchema,
  freshPostgresStore,
  openTestPostgresStore,
  postgresTestUrl,
  testSchema,
} from '../../test-support/postgres.js';
import { describeStoreContract } from '../../test-support/store-contract.js';
import { openPostgresStore } from './postgres-store.js';

describeStoreContract('PostgreSQL', freshPostgresStore);

describe('PostgreSQL store', () => {
  it('refuses a schema name it would have to quote', async () => {
    await expect(
      openPostgresStore({ connectionString: postgresTestUrl(), schema: 'bad"; DROP' }),
    ).rejects.toMatchObject({ name: 'CountersignError', code: 'validation_failed' });
  });

  it('migrates once when two replicas open the same schema together, and keeps data on reopen', async () => {
    const schema = testSchema();
    try {
      const [a, b] = await Promise.all([
        openTestPostgresStore(schema),
        openTestPostgresStore(schema),
      ]);
      await a.transaction((tx) => tx.setSetting('shared', 'yes'));
      expect(await b.read((tx) => tx.getSetting('shared'))).toBe('yes');
      await Promise.all([a.close(), b.close()]);
      const again = await openTestPostgresStore(schema);
      expect(await again.read((tx) => tx.getSetting('shared'))).toBe('yes');
      await again.close();
    } finally {
      await dropSchema(schema);
    }
  });

  it('fails to open when the server is unreachable', async () => {
    await expect(
      openPostgresStore({ connectionString: 'postgres://postgres@127.0.0.1:1/test' }),
    ).rejects.toThrow();
  });

  it('announces events committed by another replica, in id order', async () => {
    const schema = testSchema();
    const a = await openTestPostgresStore(schema);
    const b = await openTestPostgresStore(schema);
    try {
      const seen: string[] = [];
      const arrived = new Promise<void>((resolve) => {
        b.listen((event) => {
          seen.push(event.id);
          if (seen.length === 3) resolve();
        });
      });
      for (let index = 0; index < 3; index++) {
        await a.transaction((tx) =>
          tx.appendEvent({
            requestId: 'r1',
            seq: index + 1,
            type: 'created',
            at: '2026-01-01T00:00:00.000Z',
            version: index + 1,
            data: {},
            request: {} as never,
          }),
        );
      }
      await arrived;
      expect(seen).toEqual(['1', '2', '3']);
    } finally {
      await a.close();
      await b.close();
      await dropSchema(schema);
    }
  });
});
