import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../test-support/harness.js';

let h: Harness;
beforeEach(async () => {
  h = await createHarness();
  const one = await h.call(h.keys.agent, 'POST', '/v1/requests', { action: 'One' });
  await h.call(h.keys.alice, 'POST', `/v1/requests/${one.body.id}/decisions`, {
    outcome: 'reject',
    reason: 'no',
    comment: 'see ticket',
  });
  await h.call(h.keys.agent, 'POST', '/v1/requests', { action: 'Two', timeout: '1h' });
  await h.advance(3_600_000);
});
afterEach(async () => {
  await h.close();
});

async function verify() {
  return (await h.call(h.keys.admin, 'GET', '/v1/audit/verify')).body;
}

function tamper(sql: string): void {
  const db = new DatabaseSync(h.dbPath);
  db.exec(sql);
  db.close();
}

describe('audit chain', () => {
  it('records every state change with who, outcome, comment, fingerprint and version', async () => {
    const text = (await h.call(h.keys.admin, 'GET', '/v1/audit')).body as string;
    const entries = text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(entries.map((entry) => entry.type)).toEqual([
      'created',
      'decided',
      'created',
      'expired',
    ]);
    expect(entries[1]).toMatchObject({
      actor: 'user:alice',
      data: { outcome: 'reject', reason: 'no', comment: 'see ticket', version: 2 },
    });
    expect(entries[1].prevHash).toBe(entries[0].hash);
    expect(await verify()).toMatchObject({ ok: true, entries: 4 });
  });

  it('filters by request and time, and exports CSV', async () => {
    const first = (await h.call(h.keys.admin, 'GET', '/v1/requests?limit=1')).body.items[0];
    const jsonl = (await h.call(h.keys.admin, 'GET', `/v1/audit?requestId=${first.id}`))
      .body as string;
    expect(
      jsonl
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line).type),
    ).toEqual(['created', 'expired']);
    const later = new Date(h.clock.now() - 1).toISOString();
    const recent = (await h.call(h.keys.admin, 'GET', `/v1/audit?from=${later}`)).text;
    expect(recent.trim().split('\n')).toHaveLength(1);
    const csv = await h.call(h.keys.admin, 'GET', '/v1/audit?format=csv');
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (csv.body as string).trim().split('\n');
    expect(lines[0]).toBe('seq,at,type,requestId,actor,data,prevHash,hash');
    expect(lines).toHaveLength(5);
    expect((await h.call(h.keys.alice, 'GET', '/v1/audit')).status).toBe(403);
  });

  it('names an edited entry', async () => {
    tamper(`UPDATE audit SET data = replace(data, '"no"', '"yes"') WHERE seq = 2`);
    expect(await verify()).toMatchObject({ ok: false, firstBad: { seq: 2, problem: 'edited' } });
  });

  it('names a deleted entry', async () => {
    tamper('DELETE FROM audit WHERE seq = 2');
    expect(await verify()).toMatchObject({ ok: false, firstBad: { seq: 3, problem: 'deleted' } });
  });

  it('names reordered entries', async () => {
    tamper(
      'UPDATE audit SET seq = 100 WHERE seq = 2; UPDATE audit SET seq = 2 WHERE seq = 3; UPDATE audit SET seq = 3 WHERE seq = 100;',
    );
    const result = await verify();
    expect(result.ok).toBe(false);
    expect(result.firstBad.seq).toBe(2);
  });
});
