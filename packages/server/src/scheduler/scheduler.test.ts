import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../clock.js';
import { createApp } from '../http/app.js';
import { openSqliteStore } from '../store/sqlite-store.js';
import { createHarness, type Harness } from '../test-support/harness.js';
import { Scheduler } from './scheduler.js';

const HOUR = 3_600_000;
let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await h.close();
});

describe('scheduler', () => {
  it('expires a request at a 48 h deadline, never rejecting it', async () => {
    const { body } = await h.call(h.keys.agent, 'POST', '/v1/requests', {
      action: 'X',
      timeout: '48h',
    });
    expect(body.deadline).toBe(new Date(h.clock.now() + 48 * HOUR).toISOString());
    await h.advance(48 * HOUR - 1);
    expect((await h.call(h.keys.agent, 'GET', `/v1/requests/${body.id}`)).body.status).toBe(
      'pending',
    );
    await h.advance(1);
    const after = await h.call(h.keys.agent, 'GET', `/v1/requests/${body.id}`);
    expect(after.body).toMatchObject({
      status: 'expired',
      resolution: { status: 'expired', by: [] },
    });
    const late = await h.call(h.keys.alice, 'POST', `/v1/requests/${body.id}/decisions`, {
      outcome: 'approve',
    });
    expect(late.body.error.code).toBe('already_decided');
  });

  it('sends reminders and escalates once, adding or replacing assignees', async () => {
    const add = await h.call(h.keys.agent, 'POST', '/v1/requests', {
      action: 'X',
      assignees: ['user:carol'],
      reminders: ['1h', '2h'],
      escalation: { after: '3h', assignees: ['group:ops'] },
    });
    const replace = await h.call(h.keys.agent, 'POST', '/v1/requests', {
      action: 'Y',
      assignees: ['user:carol'],
      escalation: { after: '3h', assignees: ['user:bob'], mode: 'replace' },
    });
    await h.advance(HOUR);
    const reminded = (await h.call(h.keys.agent, 'GET', `/v1/requests/${add.body.id}`)).body;
    expect(reminded.reminders).toHaveLength(1);
    expect(reminded.version).toBe(2);
    expect((await h.call(h.keys.alice, 'GET', `/v1/requests/${add.body.id}`)).status).toBe(404);
    await h.advance(2 * HOUR);
    const escalated = (await h.call(h.keys.alice, 'GET', `/v1/requests/${add.body.id}`)).body;
    expect(escalated.assignees).toEqual(['user:carol', 'group:ops']);
    expect(escalated.escalation.fired).toBe(true);
    expect(escalated.version).toBe(4);
    const replaced = (await h.call(h.keys.bob, 'GET', `/v1/requests/${replace.body.id}`)).body;
    expect(replaced.assignees).toEqual(['user:bob']);
    await h.advance(10 * HOUR);
    expect((await h.call(h.keys.bob, 'GET', `/v1/requests/${add.body.id}`)).body.version).toBe(4);
    const events = await h.context.store.read((tx) => tx.listEvents(0, add.body.id, 100));
    expect(events.map((event) => event.type)).toEqual([
      'created',
      'reminded',
      'reminded',
      'escalated',
    ]);
  });

  it('changes deadline, assignees, reminders and escalation with optimistic concurrency', async () => {
    const { body } = await h.call(h.keys.agent, 'POST', '/v1/requests', {
      action: 'X',
      timeout: '1h',
    });
    const stale = await h.call(h.keys.agent, 'PATCH', `/v1/requests/${body.id}`, {
      expectedVersion: 3,
      timeout: '2h',
    });
    expect(stale.status).toBe(409);
    const later = new Date(h.clock.now() + 5 * HOUR).toISOString();
    const patched = await h.call(h.keys.agent, 'PATCH', `/v1/requests/${body.id}`, {
      expectedVersion: 1,
      deadline: later,
      assignees: ['user:carol'],
      reminders: [new Date(h.clock.now() + HOUR / 2).toISOString()],
    });
    expect(patched.body).toMatchObject({ version: 2, deadline: later, assignees: ['user:carol'] });
    const byReviewer = await h.call(h.keys.carol, 'PATCH', `/v1/requests/${body.id}`, {
      expectedVersion: 2,
      deadline: null,
    });
    expect(byReviewer.status).toBe(403);
    await h.advance(2 * HOUR);
    const mid = (await h.call(h.keys.agent, 'GET', `/v1/requests/${body.id}`)).body;
    expect(mid).toMatchObject({ status: 'pending', reminders: [] });
    await h.advance(3 * HOUR);
    expect((await h.call(h.keys.agent, 'GET', `/v1/requests/${body.id}`)).body.status).toBe(
      'expired',
    );
  });

  it('keeps due times in the database: a new process fires them once', async () => {
    const { body } = await h.call(h.keys.agent, 'POST', '/v1/requests', {
      action: 'X',
      timeout: '2h',
    });
    const store = openSqliteStore({ path: h.dbPath });
    const clock = new ManualClock(h.clock.now() + 3 * HOUR);
    const { context } = createApp({ store, clock });
    const restarted = new Scheduler(context);
    expect(await Promise.all([restarted.runDue(), restarted.runDue()])).toEqual([1, 1]);
    expect(await restarted.runDue()).toBe(0);
    await store.close();
    expect((await h.call(h.keys.agent, 'GET', `/v1/requests/${body.id}`)).body.status).toBe(
      'expired',
    );
    h.clock.advance(3 * HOUR);
    expect(await h.scheduler.runDue()).toBe(0);
  });
});

describe('scheduler timing on the wall clock', () => {
  it('fires a due time between polls without waiting for the next poll', async () => {
    const { startTestServer } = await import('../test/start-test-server.js');
    const server = await startTestServer({ scheduler: { pollIntervalMs: 5_000 } });
    try {
      const agent = await server.createKey({ role: 'agent', name: 'bot' });
      const response = await fetch(`${server.url}/v1/requests`, {
        method: 'POST',
        headers: { authorization: `Bearer ${agent}`, 'content-type': 'application/json' },
        body: JSON.stringify({ action: 'X', timeout: '300ms' }),
      });
      const { id } = (await response.json()) as { id: string };
      const started = Date.now();
      const waited = await fetch(`${server.url}/v1/requests/${id}/wait?timeout=10`, {
        headers: { authorization: `Bearer ${agent}` },
      });
      expect(((await waited.json()) as { status: string }).status).toBe('expired');
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await server.close();
    }
  });
});
