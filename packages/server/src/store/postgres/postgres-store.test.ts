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

  it('answers a one-statement read without a transaction, and runs a longer one on one snapshot', async () => {
    const schema = testSchema();
    const store = await openTestPostgresStore(schema);
    try {
      await store.transaction((tx) => tx.setSetting('mood', 'calm'));
      let runs = 0;
      expect(
        await store.read(async (tx) => {
          runs++;
          return tx.getSetting('mood');
        }),
      ).toBe('calm');
      expect(runs).toBe(1);
      runs = 0;
      const seen = await store.read(async (tx) => {
        runs++;
        const before = await tx.getSetting('mood');
        // Committed between the two reads of the run inside a transaction, which must not see it.
        if (runs === 2) await store.transaction((other) => other.setSetting('mood', 'stormy'));
        return [before, await tx.getSetting('mood')];
      });
      expect(runs).toBe(2);
      expect(seen).toEqual(['calm', 'calm']);
      expect(await store.read((tx) => tx.getSetting('mood'))).toBe('stormy');
    } finally {
      await store.close();
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
