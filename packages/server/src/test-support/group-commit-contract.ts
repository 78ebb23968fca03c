import { afterEach, describe, expect, it } from 'vitest';
import { auditPages, verifyAuditChain } from '../audit/audit-chain.js';
import { systemClock } from '../clock.js';
import { EventBus } from '../service/event-bus.js';
import { fail } from '../service/failures.js';
import { recordChange } from '../service/record-change.js';
import type { ServiceContext } from '../service/service-context.js';
import type { GroupCommitOptions } from '../store/group-commit.js';
import type { Store } from '../store/store-types.js';
import { sampleRequest } from './store-contract.js';

/** A store opened with the given batching, plus a view of what is committed from another connection. */
export interface GroupCommitSubject {
  store: Store;
  /** Counts the committed requests through a connection of its own (outside any batch). */
  committedRequests(): Promise<number>;
  dispose(): Promise<void>;
}

/** Batching behaviour every store meets: shared commits, lone failures, ordered audit entries. */
export function describeGroupCommitContract(
  name: string,
  open: (options: GroupCommitOptions) => Promise<GroupCommitSubject>,
): void {
  describe(`group commit: ${name}`, () => {
    let subject: GroupCommitSubject | undefined;
    afterEach(async () => {
      await subject?.dispose();
      subject = undefined;
    });
    const contextOf = (store: Store): ServiceContext => ({
      store,
      clock: systemClock,
      bus: new EventBus(),
    });
    const create = (context: ServiceContext, id: string) =>
      context.store.transaction((tx) =>
        recordChange(context, tx, {
          request: sampleRequest(id),
          type: 'created',
          actor: 'agent:bot',
        }),
      );

    it('runs changes that arrive together in one transaction, acknowledged after its commit', async () => {
      const opened = await open({ maxBatch: 16, maxWaitMs: 50 });
      subject = opened;
      const { store } = opened;
      const seen: number[] = [];
      const first = store.transaction(async (tx) => {
        await tx.insertRequest(sampleRequest('req_a'));
      });
      const second = store.transaction(async (tx) => {
        // The first change is visible here but not yet committed for anybody else.
        expect(await tx.getRequest('req_a')).toBeDefined();
        seen.push(await opened.committedRequests());
        await tx.insertRequest(sampleRequest('req_b'));
      });
      await Promise.all([first, second]);
      expect(seen).toEqual([0]);
      expect(await subject.committedRequests()).toBe(2);
    });

    it('fails a change that is invalid and one that conflicts alone; the others commit', async () => {
      subject = await open({ maxBatch: 16, maxWaitMs: 50 });
      const context = contextOf(subject.store);
      await create(context, 'req_existing');
      const stale = sampleRequest('req_existing', { version: 2, status: 'approved' });
      const results = await Promise.allSettled([
        create(context, 'req_1'),
        context.store.transaction(async (tx) => {
          await recordChange(context, tx, {
            request: sampleRequest('req_invalid'),
            type: 'created',
          });
          throw fail('validation_failed', 'checked after writing, so the savepoint must undo it');
        }),
        create(context, 'req_2'),
        // Replaces version 5, which was never stored: a version conflict after the event was written.
        context.store.transaction((tx) =>
          recordChange(context, tx, { request: stale, previousVersion: 5, type: 'decided' }),
        ),
        create(context, 'req_3'),
      ]);
      expect(results.map((result) => result.status)).toEqual([
        'fulfilled',
        'rejected',
        'fulfilled',
        'rejected',
        'fulfilled',
      ]);
      expect((results[1] as PromiseRejectedResult).reason).toMatchObject({
        code: 'validation_failed',
      });
      expect((results[3] as PromiseRejectedResult).reason).toMatchObject({
        code: 'version_conflict',
      });
      const { events, audit, invalid, existing } = await subject.store.read(async (tx) => ({
        events: await tx.listEvents(0, undefined, 100),
        audit: await tx.listAudit({ limit: 100 }),
        invalid: await tx.getRequest('req_invalid'),
        existing: await tx.getRequest('req_existing'),
      }));
      expect(invalid).toBeUndefined();
      expect(existing?.version).toBe(1);
      expect(events.map((event) => [event.id, event.requestId])).toEqual([
        ['1', 'req_existing'],
        ['2', 'req_1'],
        ['3', 'req_2'],
        ['4', 'req_3'],
      ]);
      expect(audit.map((entry) => entry.requestId)).toEqual([
        'req_existing',
        'req_1',
        'req_2',
        'req_3',
      ]);
      const { store } = subject;
      const verified = await verifyAuditChain(
        auditPages((afterSeq) => store.read((tx) => tx.listAudit({ afterSeq, limit: 50 }))),
      );
      expect(verified).toMatchObject({ ok: true, entries: 4 });
    });

    it('undoes a failing first change of a batch and keeps the ones after it', async () => {
      subject = await open({ maxBatch: 16, maxWaitMs: 50 });
      const context = contextOf(subject.store);
      const results = await Promise.allSettled([
        context.store.transaction(async (tx) => {
          await recordChange(context, tx, { request: sampleRequest('req_first'), type: 'created' });
          throw new Error('the first change fails after writing');
        }),
        create(context, 'req_second'),
      ]);
      expect(results.map((result) => result.status)).toEqual(['rejected', 'fulfilled']);
      const { events, audit, first } = await subject.store.read(async (tx) => ({
        events: await tx.listEvents(0, undefined, 100),
        audit: await tx.listAudit({ limit: 100 }),
        first: await tx.getRequest('req_first'),
      }));
      expect(first).toBeUndefined();
      expect(events.map((event) => [event.id, event.requestId])).toEqual([['1', 'req_second']]);
      expect(audit.map((entry) => [entry.seq, entry.requestId])).toEqual([[1, 'req_second']]);
    });

    it('keeps audit entries and event ids in arrival order within and across batches', async () => {
      subject = await open({ maxBatch: 4, maxWaitMs: 50 });
      const context = contextOf(subject.store);
      const ids: string[] = [];
      for (let wave = 0; wave < 3; wave++) {
        const wanted = Array.from({ length: 10 }, (_, index) => `req_${wave}_${index}`);
        ids.push(...wanted);
        await Promise.all(wanted.map((id) => create(context, id)));
      }
      const { events, audit } = await subject.store.read(async (tx) => ({
        events: await tx.listEvents(0, undefined, 100),
        audit: await tx.listAudit({ limit: 100 }),
      }));
      expect(events.map((event) => event.requestId)).toEqual(ids);
      expect(events.map((event) => Number(event.id))).toEqual(ids.map((_, index) => index + 1));
      expect(audit.map((entry) => entry.requestId)).toEqual(ids);
      expect(audit.map((entry) => entry.seq)).toEqual(ids.map((_, index) => index + 1));
      const { store } = subject;
      const verified = await verifyAuditChain(
        auditPages((afterSeq) => store.read((tx) => tx.listAudit({ afterSeq, limit: 7 }))),
      );
      expect(verified).toMatchObject({ ok: true, entries: 30 });
      expect(await subject.committedRequests()).toBe(30);
    });

    it('holds a background change for the next other change and commits both together, after it', async () => {
      // A background change that waited its full minute would time the test out.
      const opened = await open({ maxBatch: 16, maxWaitMs: 50, backgroundWaitMs: 60_000 });
      subject = opened;
      const { store } = opened;
      const order: string[] = [];
      const seen: number[] = [];
      const background = store.transaction(
        async (tx) => {
          order.push('background');
          // The user's change is in this transaction already, and nothing is committed yet.
          expect(await tx.getRequest('req_user')).toBeDefined();
          seen.push(await opened.committedRequests());
          await tx.insertRequest(sampleRequest('req_bookkeeping'));
        },
        { background: true },
      );
      await new Promise((resolve) => setImmediate(resolve));
      const user = store.transaction(async (tx) => {
        order.push('user');
        await tx.insertRequest(sampleRequest('req_user'));
      });
      await Promise.all([background, user]);
      expect(order).toEqual(['user', 'background']);
      expect(seen).toEqual([0]);
      expect(await opened.committedRequests()).toBe(2);
    });

    it('answers the other changes of a batch before its background ones', async () => {
      subject = await open({ maxBatch: 16, maxWaitMs: 50, backgroundWaitMs: 60_000 });
      const { store } = subject;
      const order: string[] = [];
      const background = store
        .transaction((tx) => tx.insertRequest(sampleRequest('req_bookkeeping')), {
          background: true,
        })
        .then(() => order.push('background'));
      // A caller that goes on through a few more steps once answered, like a waiter's response.
      const user = store
        .transaction((tx) => tx.insertRequest(sampleRequest('req_user')))
        .then(async () => {
          for (let step = 0; step < 5; step++) await Promise.resolve();
          order.push('user, five steps on');
        });
      await Promise.all([background, user]);
      expect(order).toEqual(['user, five steps on', 'background']);
    });

    it('commits a background change alone once no other change came within its wait', async () => {
      subject = await open({ maxBatch: 16, maxWaitMs: 50, backgroundWaitMs: 20 });
      await subject.store.transaction((tx) => tx.insertRequest(sampleRequest('req_alone')), {
        background: true,
      });
      expect(await subject.committedRequests()).toBe(1);
    });

    it('commits held background changes at once when the store closes', async () => {
      const opened = await open({ maxBatch: 16, maxWaitMs: 50, backgroundWaitMs: 60_000 });
      subject = opened;
      const held = opened.store.transaction((tx) => tx.insertRequest(sampleRequest('req_held')), {
        background: true,
      });
      await opened.store.close();
      await held;
      expect(await opened.committedRequests()).toBe(1);
    });

    it('commits a lone change without waiting for the longest wait', async () => {
      subject = await open({ maxBatch: 64, maxWaitMs: 5_000 });
      const started = performance.now();
      await subject.store.transaction((tx) => tx.insertRequest(sampleRequest('req_alone')));
      expect(performance.now() - started).toBeLessThan(2_000);
      expect(await subject.committedRequests()).toBe(1);
    });
  });
}
