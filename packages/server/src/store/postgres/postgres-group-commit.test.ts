import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../clock.js';
import { EventBus } from '../../service/event-bus.js';
import { recordChange } from '../../service/record-change.js';
import { describeGroupCommitContract } from '../../test-support/group-commit-contract.js';
import {
  dropSchema,
  openTestPostgresStore,
  postgresTestUrl,
  testSchema,
} from '../../test-support/postgres.js';
import { sampleRequest } from '../../test-support/store-contract.js';

describeGroupCommitContract('PostgreSQL', async (groupCommit) => {
  const schema = testSchema();
  const store = await openTestPostgresStore(schema, { groupCommit });
  // A connection of its own sees only what the store committed.
  const observer = new pg.Client({ connectionString: postgresTestUrl() });
  await observer.connect();
  return {
    store,
    async committedRequests() {
      const { rows } = await observer.query<{ n: string }>(
        `SELECT COUNT(*) AS n FROM ${schema}.requests`,
      );
      return Number(rows[0]?.n);
    },
    async dispose() {
      await observer.end();
      await store.close();
      await dropSchema(schema);
    },
  };
});

describe('group commit: a write PostgreSQL refuses after its change ended', () => {
  it('fails that change alone; the others of its batch run again and commit, in order', async () => {
    const schema = testSchema();
    const store = await openTestPostgresStore(schema, { groupCommit: { maxWaitMs: 50 } });
    const context = { store, clock: systemClock, bus: new EventBus() };
    const create = (id: string) =>
      store.transaction((tx) =>
        recordChange(context, tx, { request: sampleRequest(id), type: 'created' }),
      );
    try {
      // The second insert of req_twice is refused only once its change has ended.
      const results = await Promise.allSettled([
        create('req_twice'),
        store.transaction((tx) => tx.insertRequest(sampleRequest('req_twice'))),
        create('req_after'),
      ]);
      expect(results.map((result) => result.status)).toEqual([
        'fulfilled',
        'rejected',
        'fulfilled',
      ]);
      expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: '23505' });
      const { events, audit } = await store.read(async (tx) => ({
        events: await tx.listEvents(0, undefined, 100),
        audit: await tx.listAudit({ limit: 100 }),
      }));
      expect(events.map((event) => [event.id, event.requestId])).toEqual([
        ['1', 'req_twice'],
        ['2', 'req_after'],
      ]);
      expect(audit.map((entry) => [entry.seq, entry.requestId])).toEqual([
        [1, 'req_twice'],
        [2, 'req_after'],
      ]);
    } finally {
      await store.close();
      await dropSchema(schema);
    }
  });
});
