import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../auth/api-keys.js';
import { openSqliteStore } from '../store/sqlite-store.js';
import { type ServeProcess, spawnServe } from '../test-support/serve-process.js';

const directory = mkdtempSync(join(tmpdir(), 'countersign-crash-'));
const dbPath = join(directory, 'crash.db');
const children: ChildProcess[] = [];

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(directory, { recursive: true, force: true });
});

/** Spawns `countersign serve` on a free port and resolves with its URL and what it printed. */
function serve(path = dbPath): Promise<ServeProcess> {
  return spawnServe(['--db', path], children);
}

async function makeKeys() {
  const store = openSqliteStore({ path: dbPath });
  const agent = await store.transaction((tx) => createApiKey(tx, { role: 'agent', name: 'bot' }));
  const reviewer = await store.transaction((tx) =>
    createApiKey(tx, { role: 'reviewer', name: 'alice' }),
  );
  const admin = await store.transaction((tx) => createApiKey(tx, { role: 'admin', name: 'ops' }));
  await store.close();
  return { agent: agent.key, reviewer: reviewer.key, admin: admin.key };
}

describe('kill -9 in the middle of work', () => {
  it('loses no acknowledged write and the scheduler resumes after restart', async () => {
    const keys = await makeKeys();
    const first = await serve();
    const post = (url: string, key: string, path: string, body: unknown) =>
      fetch(url + path, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const acknowledged = new Map<string, string>();
    let approvals = 0;
    let killed = false;
    // Kill once enough writes are acknowledged (not after a fixed time, which under load may see
    // too few), while the workers are still writing.
    let enough: () => void = () => undefined;
    const enoughWritten = new Promise<void>((resolve) => {
      enough = resolve;
    });
    const acknowledge = (id: string, status: string) => {
      acknowledged.set(id, status);
      if (status === 'approved') approvals++;
      if (acknowledged.size >= 40 && approvals >= 5) enough();
    };
    const workers = Array.from({ length: 8 }, async (_, worker) => {
      for (let index = 0; !killed; index++) {
        try {
          const response = await post(first.url, keys.agent, '/v1/requests', {
            action: `w${worker}-${index}`,
          });
          if (response.status !== 201) continue;
          const { id } = (await response.json()) as { id: string };
          acknowledge(id, 'pending');
          if (index % 3 === 0) {
            const decided = await post(first.url, keys.reviewer, `/v1/requests/${id}/decisions`, {
              outcome: 'approve',
            });
            if (decided.status === 200) acknowledge(id, 'approved');
          }
        } catch {
          // the server died mid-request: this write was never acknowledged
        }
      }
    });
    await enoughWritten;
    // Due shortly after the kill, so only the restarted server's scheduler can expire it.
    const expiring = (await (
      await post(first.url, keys.agent, '/v1/requests', { action: 'soon', timeout: '1500ms' })
    ).json()) as { id: string };
    first.child.kill('SIGKILL');
    killed = true;
    await Promise.all(workers);
    expect(acknowledged.size).toBeGreaterThan(20);

    const second = await serve();
    for (const [id, status] of acknowledged) {
      const response = await fetch(`${second.url}/v1/requests/${id}`, {
        headers: { authorization: `Bearer ${keys.admin}` },
      });
      const request = (await response.json()) as { status: string };
      if (status === 'approved') expect(request.status, id).toBe('approved');
      else expect(['pending', 'approved'], id).toContain(request.status);
    }
    const verify = await fetch(`${second.url}/v1/audit/verify`, {
      headers: { authorization: `Bearer ${keys.admin}` },
    });
    expect(await verify.json()).toMatchObject({ ok: true });
    const waited = await fetch(`${second.url}/v1/requests/${expiring.id}/wait?timeout=10`, {
      headers: { authorization: `Bearer ${keys.agent}` },
    });
    expect(((await waited.json()) as { status: string }).status).toBe('expired');
    second.child.kill('SIGTERM');
  });

  it('creates the database on first start and prints an admin key once', async () => {
    const path = join(directory, 'fresh', 'first.db');
    const first = await serve(path);
    const key = /admin key \(shown once, keep it\): (csk_\S+)/.exec(first.output)?.[1];
    expect(key).toBeDefined();
    const me = await fetch(`${first.url}/v1/me`, { headers: { authorization: `Bearer ${key}` } });
    expect(await me.json()).toMatchObject({ role: 'admin', principal: 'user:admin' });
    first.child.kill('SIGTERM');
    await new Promise((resolve) => first.child.once('exit', resolve));
    const second = await serve(path);
    expect(second.output).not.toContain('admin key');
    second.child.kill('SIGTERM');
  });
});
