import type { ApprovalRequest } from '@countersign/core/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendAudit, verifyAuditChain } from '../audit/audit-chain.js';
import type { OutboxLane, OutboxMessage, Store } from '../store/store-types.js';
import { describePolicyStoreContract } from './policy-store-contract.js';

/** Opens a fresh, empty store and the function that disposes of it. */
export type StoreFactory = () => Promise<{ store: Store; dispose(): Promise<void> }>;

/** A minimal valid request document. */
export function sampleRequest(
  id: string,
  overrides: Partial<ApprovalRequest> = {},
): ApprovalRequest {
  const at = '2026-01-01T00:00:00.000Z';
  return {
    id,
    kind: 'approval',
    status: 'pending',
    version: 1,
    action: `action ${id}`,
    context: {},
    assignees: [],
    quorum: 1,
    requester: 'agent:bot',
    createdAt: at,
    updatedAt: at,
    reminders: [],
    decisions: [],
    links: {
      self: `/v1/requests/${id}`,
      wait: `/v1/requests/${id}/wait`,
      events: `/v1/requests/${id}/events`,
    },
    ...overrides,
  };
}

function sampleMessage(id: string, nextAttemptAt: number): OutboxMessage {
  return {
    id,
    webhookId: 'wh_1',
    url: 'http://127.0.0.1:9/hook',
    secret: 'whsec_x',
    eventType: 'request.created',
    body: '{}',
    attempts: 0,
    nextAttemptAt,
    createdAt: nextAttemptAt,
    status: 'pending',
  };
}

/** The expectations every {@link Store} meets, run against each implementation. */
export function describeStoreContract(name: string, makeStore: StoreFactory): void {
  describe(`store contract: ${name}`, () => {
    let store: Store;
    let dispose: () => Promise<void>;
    beforeEach(async () => {
      ({ store, dispose } = await makeStore());
    });
    describePolicyStoreContract(() => store);
    afterEach(async () => {
      await dispose();
    });

    it('creates, reads and pages requests newest first with a cursor and visibility', async () => {
      await store.transaction(async (tx) => {
        for (let index = 1; index <= 5; index++) {
          const assignees = index % 2 === 0 ? ['group:ops'] : [];
          await tx.insertRequest(sampleRequest(`r${index}`, { assignees }));
        }
      });
      expect((await store.read((tx) => tx.getRequest('r3')))?.action).toBe('action r3');
      expect(await store.read((tx) => tx.getRequest('missing'))).toBeUndefined();
      const first = await store.read((tx) =>
        tx.listRequests({ visibility: { all: true }, limit: 2 }),
      );
      expect(first.items.map((item) => item.id)).toEqual(['r5', 'r4']);
      const before = first.nextBefore ?? 0;
      const second = await store.read((tx) =>
        tx.listRequests({ visibility: { all: true }, limit: 2, before }),
      );
      expect(second.items.map((item) => item.id)).toEqual(['r3', 'r2']);
      const assigned = await store.read((tx) =>
        tx.listRequests({ visibility: { all: true }, assignee: 'group:ops', limit: 10 }),
      );
      expect(assigned.items.map((item) => item.id)).toEqual(['r4', 'r2']);
      expect(assigned.nextBefore).toBeNull();
      const hidden = await store.read((tx) =>
        tx.listRequests({ visibility: { assignees: ['group:other'] }, limit: 10 }),
      );
      expect(hidden.items.map((item) => item.id)).toEqual(['r5', 'r3', 'r1']);
      const nobody = await store.read((tx) => tx.listRequests({ visibility: {}, limit: 10 }));
      expect(nobody.items).toEqual([]);
    });

    it('updates only when the stored version matches', async () => {
      await store.transaction((tx) => tx.insertRequest(sampleRequest('r1')));
      const next = sampleRequest('r1', { version: 2, status: 'approved' });
      expect(await store.transaction((tx) => tx.updateRequest(next, 1))).toBe(true);
      expect(await store.transaction((tx) => tx.updateRequest(next, 1))).toBe(false);
      expect((await store.read((tx) => tx.getRequest('r1')))?.status).toBe('approved');
    });

    it('remembers idempotency keys per principal', async () => {
      await store.transaction((tx) =>
        tx.saveIdempotency('agent:a', 'k1', 'hash', 'r1', '2026-01-01T00:00:00.000Z'),
      );
      expect(await store.read((tx) => tx.findIdempotency('agent:a', 'k1'))).toEqual({
        bodyHash: 'hash',
        requestId: 'r1',
      });
      expect(await store.read((tx) => tx.findIdempotency('agent:b', 'k1'))).toBeUndefined();
    });

    it('purges idempotency keys older than a time, oldest first, in batches', async () => {
      await store.transaction(async (tx) => {
        await tx.saveIdempotency('agent:a', 'old1', 'h', 'r1', '2026-01-01T00:00:00.000Z');
        await tx.saveIdempotency('agent:a', 'old2', 'h', 'r2', '2026-01-02T00:00:00.000Z');
        await tx.saveIdempotency('agent:a', 'new', 'h', 'r3', '2026-01-03T00:00:00.000Z');
      });
      const before = '2026-01-03T00:00:00.000Z';
      expect(await store.transaction((tx) => tx.purgeIdempotency(before, 1))).toBe(1);
      expect(await store.read((tx) => tx.findIdempotency('agent:a', 'old1'))).toBeUndefined();
      expect(await store.read((tx) => tx.findIdempotency('agent:a', 'old2'))).toBeDefined();
      expect(await store.transaction((tx) => tx.purgeIdempotency(before, 10))).toBe(1);
      expect(await store.transaction((tx) => tx.purgeIdempotency(before, 10))).toBe(0);
      expect(await store.read((tx) => tx.findIdempotency('agent:a', 'new'))).toEqual({
        bodyHash: 'h',
        requestId: 'r3',
      });
    });

    it('rolls back every write of a failed transaction and skips its callbacks', async () => {
      let called = false;
      await expect(
        store.transaction(async (tx) => {
          await tx.insertRequest(sampleRequest('r1'));
          tx.afterCommit(() => {
            called = true;
          });
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(called).toBe(false);
      expect(await store.read((tx) => tx.getRequest('r1'))).toBeUndefined();
    });

    it('numbers events in order and lists them after an id, per request or all', async () => {
      const ids = await store.transaction(async (tx) => {
        const out: string[] = [];
        for (const requestId of ['a', 'b', 'a']) {
          const event = await tx.appendEvent({
            requestId,
            seq: 1,
            type: 'created',
            at: '2026-01-01T00:00:00.000Z',
            version: 1,
            data: {},
            request: sampleRequest(requestId),
          });
          out.push(event.id);
        }
        return out;
      });
      expect(ids.map(Number)).toEqual([1, 2, 3]);
      expect(await store.read((tx) => tx.latestEventId())).toBe(3);
      const forA = await store.read((tx) => tx.listEvents(0, 'a', 10));
      expect(forA.map((event) => event.id)).toEqual(['1', '3']);
      const after = await store.read((tx) => tx.listEvents(1, undefined, 10));
      expect(after.map((event) => event.id)).toEqual(['2', '3']);
    });

    it('claims each due job exactly once, even when many workers race', async () => {
      await store.transaction(async (tx) => {
        const jobs = Array.from({ length: 20 }, (_, index) => ({
          requestId: `r${index}`,
          kind: 'deadline' as const,
          dueAt: 1000 + index,
        }));
        for (const job of jobs) await tx.replaceJobs(job.requestId, ['deadline'], [job]);
        await tx.replaceJobs(
          'later',
          ['deadline'],
          [{ requestId: 'later', kind: 'deadline', dueAt: 9000 }],
        );
      });
      expect(await store.read((tx) => tx.nextJobDue())).toBe(1000);
      const claimed: string[] = [];
      const worker = async () => {
        for (;;) {
          const job = await store.transaction((tx) => tx.claimDueJob(5000));
          if (!job) return;
          claimed.push(job.requestId);
        }
      };
      await Promise.all(Array.from({ length: 6 }, worker));
      expect(claimed.sort()).toEqual(Array.from({ length: 20 }, (_, index) => `r${index}`).sort());
      expect(await store.read((tx) => tx.nextJobDue())).toBe(9000);
      await store.transaction((tx) => tx.clearJobs('later'));
      expect(await store.read((tx) => tx.nextJobDue())).toBeUndefined();
    });

    it('leases due outbox messages to one worker and updates or disables them', async () => {
      await store.transaction(async (tx) => {
        for (let index = 0; index < 6; index++)
          await tx.enqueueOutbox(sampleMessage(`m${index}`, 100 + index));
      });
      const batches = await Promise.all(
        Array.from({ length: 3 }, () =>
          store.transaction((tx) => tx.claimDueOutbox(1000, 5000, 2)),
        ),
      );
      const ids = batches.flat().map((message) => message.id);
      expect(ids.sort()).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5']);
      expect(await store.transaction((tx) => tx.claimDueOutbox(1000, 5000, 10))).toEqual([]);
      const [first] = batches[0] ?? [];
      if (!first) throw new Error('no message claimed');
      await store.transaction((tx) =>
        tx.updateOutbox({ ...first, status: 'delivered', attempts: 1, lastError: 'none' }),
      );
      await store.transaction((tx) => tx.disableOutboxFor('wh_1'));
      const listed = await store.read((tx) => tx.listOutbox(10));
      expect(listed.find((message) => message.id === first.id)).toMatchObject({
        status: 'delivered',
        attempts: 1,
        lastError: 'none',
      });
      expect(listed.filter((message) => message.status === 'disabled')).toHaveLength(5);
    });

    it('counts the backlog: pending requests and undelivered messages, with the oldest of each', async () => {
      expect(await store.read((tx) => tx.backlog())).toEqual({
        pendingRequests: 0,
        outboxPending: 0,
      });
      await store.transaction(async (tx) => {
        await tx.insertRequest(sampleRequest('r1', { createdAt: '2026-01-01T00:00:05.000Z' }));
        await tx.insertRequest(sampleRequest('r2', { createdAt: '2026-01-01T00:00:09.000Z' }));
        await tx.insertRequest(sampleRequest('r3', { status: 'approved' }));
        await tx.enqueueOutbox(sampleMessage('m1', 300));
        await tx.enqueueOutbox(sampleMessage('m2', 200));
        await tx.enqueueOutbox({ ...sampleMessage('m3', 100), status: 'delivered' });
      });
      expect(await store.read((tx) => tx.backlog())).toEqual({
        pendingRequests: 2,
        oldestPendingAt: Date.parse('2026-01-01T00:00:05.000Z'),
        outboxPending: 2,
        oldestOutboxAt: 200,
      });
    });

    it('claims due outbox messages by time, then by id, on every database', async () => {
      // Inserted out of id order, with ties on time, so neither insertion order nor chance passes.
      await store.transaction(async (tx) => {
        for (const [id, at] of [
          ['m4', 200],
          ['m3', 100],
          ['m1', 100],
          ['m5', 50],
          ['m2', 100],
        ] as const) {
          await tx.enqueueOutbox(sampleMessage(id, at));
        }
      });
      const claim = () =>
        store.transaction(async (tx) =>
          (await tx.claimDueOutbox(1000, 5000, 2)).map((message) => message.id),
        );
      expect(await claim()).toEqual(['m5', 'm1']);
      expect(await claim()).toEqual(['m2', 'm3']);
      expect(await claim()).toEqual(['m4']);
    });

    it('claims by lane: webhooks, every notification, or exactly one channel', async () => {
      const urls = {
        hook: 'http://127.0.0.1:9/hook',
        mail: 'notify:email:a@example.com',
        // `_` is no wildcard and case counts: neither row belongs to the `e_mail` lane alone.
        other: 'notify:eXmail:b@example.com',
        upper: 'notify:E_MAIL:c@example.com',
        lane: 'notify:e_mail:d@example.com',
        chat: 'notify:chat:#ops',
      };
      await store.transaction(async (tx) => {
        for (const [id, url] of Object.entries(urls)) {
          await tx.enqueueOutbox({ ...sampleMessage(id, 100), webhookId: null, url });
        }
      });
      const claim = (lane: OutboxLane) =>
        store.transaction(async (tx) =>
          (await tx.claimDueOutbox(1000, 5000, 10, lane)).map((message) => message.id).sort(),
        );
      expect(await claim({ channel: 'e_mail' })).toEqual(['lane']);
      expect(await claim({ channel: 'chat' })).toEqual(['chat']);
      expect(await claim('webhooks')).toEqual(['hook']);
      expect(await claim('notifications')).toEqual(['mail', 'other', 'upper']);
    });

    it('ends a request page early at its byte budget, never empty, and the next pages lose nothing', async () => {
      const padding = (bytes: number) => ({ padding: 'x'.repeat(bytes) });
      await store.transaction(async (tx) => {
        for (let index = 1; index <= 5; index++) {
          // r3 alone is larger than the budget: it gets a page of its own.
          const context = padding(index === 3 ? 5000 : 1000);
          await tx.insertRequest(sampleRequest(`r${index}`, { context }));
        }
      });
      const pages: string[][] = [];
      let before: number | undefined;
      do {
        const page = await store.read((tx) =>
          tx.listRequests({
            visibility: { all: true },
            limit: 10,
            maxBytes: 3000,
            ...(before === undefined ? {} : { before }),
          }),
        );
        const bytes = page.items.reduce((sum, item) => sum + JSON.stringify(item).length + 1, 0);
        if (page.items.length > 1) expect(bytes).toBeLessThanOrEqual(3000);
        pages.push(page.items.map((item) => item.id));
        before = page.nextBefore ?? undefined;
      } while (before !== undefined);
      expect(pages).toEqual([['r5', 'r4'], ['r3'], ['r2', 'r1']]);
      const unbounded = await store.read((tx) =>
        tx.listRequests({ visibility: { all: true }, limit: 10 }),
      );
      expect(unbounded.items).toHaveLength(5);
      expect(unbounded.nextBefore).toBeNull();
    });

    it('keeps one audit chain under concurrent appends, and it verifies', async () => {
      await Promise.all(
        Array.from({ length: 12 }, (_, index) =>
          store.transaction((tx) =>
            appendAudit(tx, {
              at: new Date(Date.UTC(2026, 0, 1, 0, 0, index)).toISOString(),
              type: 'created',
              requestId: `r${index % 3}`,
              actor: null,
              data: { index },
            }),
          ),
        ),
      );
      const entries = await store.read((tx) => tx.listAudit({ limit: 100 }));
      expect(entries.map((entry) => entry.seq)).toEqual(
        Array.from({ length: 12 }, (_, i) => i + 1),
      );
      async function* pages() {
        yield entries;
      }
      expect((await verifyAuditChain(pages())).ok).toBe(true);
      const forR1 = await store.read((tx) => tx.listAudit({ requestId: 'r1', limit: 100 }));
      // Concurrent transactions append in whatever order they commit.
      const byIndex = (x: unknown, y: unknown) => Number(x) - Number(y);
      expect(forR1.map((entry) => entry.data.index).sort(byIndex)).toEqual([1, 4, 7, 10]);
      const window = await store.read((tx) =>
        tx.listAudit({
          from: '2026-01-01T00:00:02.000Z',
          to: '2026-01-01T00:00:04.000Z',
          limit: 100,
        }),
      );
      expect(window.map((entry) => entry.data.index).sort()).toEqual([2, 3]);
      const tampered = [
        { ...entries[0], data: { index: 99 } } as (typeof entries)[number],
        ...entries.slice(1),
      ];
      async function* bad() {
        yield tampered;
      }
      expect((await verifyAuditChain(bad())).firstBad).toEqual({ seq: 1, problem: 'edited' });
    });

    it('stores API keys, webhooks and settings', async () => {
      await store.transaction(async (tx) => {
        await tx.insertApiKey({
          id: 'k1',
          name: 'bot',
          role: 'agent',
          groups: ['ops'],
          hash: 'h',
          createdAt: '2026-01-01T00:00:00.000Z',
        });
        await tx.insertWebhook({
          id: 'wh_1',
          url: 'http://127.0.0.1:9/hook',
          secret: 'whsec_x',
          events: ['request.decided'],
          enabled: true,
          createdAt: '2026-01-01T00:00:00.000Z',
        });
        await tx.setSetting('a', '1');
        await tx.setSetting('a', '2');
      });
      expect(
        await store.transaction((tx) => tx.revokeApiKey('k1', '2026-01-02T00:00:00.000Z')),
      ).toBe(true);
      expect(
        await store.transaction((tx) => tx.revokeApiKey('k1', '2026-01-03T00:00:00.000Z')),
      ).toBe(false);
      expect(await store.read((tx) => tx.getApiKey('k1'))).toMatchObject({
        groups: ['ops'],
        revokedAt: '2026-01-02T00:00:00.000Z',
      });
      await store.transaction((tx) => tx.setWebhookEnabled('wh_1', false));
      expect(await store.read((tx) => tx.listWebhooks())).toMatchObject([
        { id: 'wh_1', enabled: false, events: ['request.decided'] },
      ]);
      expect(await store.transaction((tx) => tx.deleteWebhook('wh_1'))).toBe(true);
      expect(await store.read((tx) => tx.getWebhook('wh_1'))).toBeUndefined();
      expect(await store.read((tx) => tx.getSetting('a'))).toBe('2');
      expect(await store.ping()).toBe(true);
    });

    it('reads a key with the directory user of its name in one go, never for an agent key', async () => {
      const at = '2026-01-01T00:00:00.000Z';
      const key = (id: string, name: string, role: 'agent' | 'reviewer') => ({
        id,
        name,
        role,
        groups: ['ops'],
        hash: 'h',
        createdAt: at,
      });
      const alice = {
        name: 'alice',
        displayName: 'Alice',
        email: 'alice@example.com',
        groups: ['finance'],
        active: false,
        notifications: { channels: ['email'] },
        createdAt: at,
        updatedAt: at,
      };
      await store.transaction(async (tx) => {
        await tx.insertUser(alice);
        await tx.insertApiKey(key('k-alice', 'alice', 'reviewer'));
        await tx.insertApiKey(key('k-bob', 'bob', 'reviewer'));
        await tx.insertApiKey(key('k-agent', 'alice', 'agent'));
      });
      const found = await store.read(async (tx) => ({
        alice: await tx.getApiKeyWithUser('k-alice'),
        bob: await tx.getApiKeyWithUser('k-bob'),
        agent: await tx.getApiKeyWithUser('k-agent'),
        none: await tx.getApiKeyWithUser('k-none'),
      }));
      expect(found.alice).toEqual({ key: key('k-alice', 'alice', 'reviewer'), user: alice });
      expect(found.bob).toEqual({ key: key('k-bob', 'bob', 'reviewer') });
      expect(found.agent).toEqual({ key: key('k-agent', 'alice', 'agent') });
      expect(found.none).toBeUndefined();
    });

    it('keeps sessions and claims each sign-in attempt once', async () => {
      const session = {
        id: 'a'.repeat(64),
        userName: 'alice',
        role: 'reviewer' as const,
        groups: ['finance'],
        kind: 'browser' as const,
        csrfToken: 'csrf',
        createdAt: 1_000,
        lastSeenAt: 1_000,
        expiresAt: 9_000_000_000_000,
      };
      await store.transaction((tx) => tx.insertSession(session));
      await store.transaction((tx) => tx.touchSession(session.id, 5_000));
      await store.transaction((tx) => tx.touchSession(session.id, 4_000));
      expect(await store.read((tx) => tx.getSession(session.id))).toEqual({
        ...session,
        lastSeenAt: 5_000,
      });
      expect(await store.transaction((tx) => tx.endSession(session.id, 6_000))).toBe(true);
      expect(await store.transaction((tx) => tx.endSession(session.id, 7_000))).toBe(false);
      expect((await store.read((tx) => tx.getSession(session.id)))?.endedAt).toBe(6_000);
      await store.transaction((tx) => tx.purgeSessionsOf('alice', 6_000));
      expect(await store.read((tx) => tx.getSession(session.id))).toBeDefined();
      await store.transaction((tx) => tx.purgeSessionsOf('bob', 6_001));
      expect(await store.read((tx) => tx.getSession(session.id))).toBeDefined();
      await store.transaction((tx) => tx.purgeSessionsOf('alice', 6_001));
      expect(await store.read((tx) => tx.getSession(session.id))).toBeUndefined();
      await store.transaction((tx) => tx.insertSession(session));

      const attempt = { state: 's1', codeVerifier: 'v', nonce: 'n', returnTo: '/', createdAt: 10 };
      await store.transaction((tx) => tx.insertSignInAttempt(attempt, 0));
      await store.transaction((tx) =>
        tx.insertSignInAttempt({ ...attempt, state: 's2', createdAt: 500 }, 100),
      );
      // s1 started before the purge horizon of the second insert.
      expect(await store.transaction((tx) => tx.takeSignInAttempt('s1'))).toBeUndefined();
      const [first, second] = await Promise.all([
        store.transaction((tx) => tx.takeSignInAttempt('s2')),
        store.transaction((tx) => tx.takeSignInAttempt('s2')),
      ]);
      expect([first, second].filter(Boolean)).toEqual([
        { ...attempt, state: 's2', createdAt: 500 },
      ]);
    });

    it('keeps signing keys newest first and records a receipt consumption once', async () => {
      const key = (id: string) => ({
        id,
        publicJwk: `{"kid":"${id}"}`,
        privateKey: `v1.iv.${id}`,
        createdAt: '2030-01-01T00:00:00.000Z',
      });
      expect(await store.read((tx) => tx.newestSigningKeyId())).toBeUndefined();
      await store.transaction((tx) => tx.insertSigningKey(key('k1')));
      await store.transaction((tx) => tx.insertSigningKey(key('k2')));
      expect(await store.read((tx) => tx.newestSigningKeyId())).toBe('k2');
      const keys = await store.read((tx) => tx.listSigningKeys());
      expect(keys.map((each) => each.id)).toEqual(['k2', 'k1']);
      expect(keys[1]).toEqual(key('k1'));
      const use = (consumer: string) => ({
        receiptId: 'rct_1',
        requestId: 'req_1',
        consumer,
        consumedAt: `2030-01-01T00:00:0${consumer.length % 10}.000Z`,
      });
      const [first, second] = await Promise.all([
        store.transaction((tx) => tx.consumeReceipt(use('agent:a'))),
        store.transaction((tx) => tx.consumeReceipt(use('agent:bb'))),
      ]);
      expect([first.recorded, second.recorded].sort()).toEqual([false, true]);
      expect(first.first).toEqual(second.first);
      const again = await store.transaction((tx) => tx.consumeReceipt(use('agent:ccc')));
      expect(again).toEqual({ first: first.first, recorded: false });
    });
  });
}
