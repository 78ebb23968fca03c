import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { auditPages, verifyAuditChain } from '../audit/audit-chain.js';
import { createApiKey } from '../auth/api-keys.js';
import { openSqliteStore } from '../store/sqlite-store.js';
import { type ServeProcess, spawnServe } from '../test-support/serve-process.js';

const directory = mkdtempSync(join(tmpdir(), 'countersign-batch-crash-'));
const dbPath = join(directory, 'batch.db');
const children: ChildProcess[] = [];

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(directory, { recursive: true, force: true });
});

/** `countersign serve` holding each batch open up to 30 ms, so a kill lands inside one. */
function serve(): Promise<ServeProcess> {
  return spawnServe(['--db', dbPath, '--group-commit-max-wait', '30ms'], children);
}

describe('kill -9 while a commit batch is open', () => {
  it('keeps every acknowledged change and no half-written one', async () => {
    const setup = openSqliteStore({ path: dbPath });
    const { key } = await setup.transaction((tx) =>
      createApiKey(tx, { role: 'agent', name: 'bot' }),
    );
    await setup.close();
    const server = await serve();
    const acknowledged = new Set<string>();
    let killed = false;
    let enough: () => void = () => undefined;
    const enoughWritten = new Promise<void>((resolve) => {
      enough = resolve;
    });
    // 24 agents at once keep batches full; the kill comes while many creates are in flight.
    const agents = Array.from({ length: 24 }, async (_, agent) => {
      for (let index = 0; !killed; index++) {
        try {
          const response = await fetch(`${server.url}/v1/requests`, {
            method: 'POST',
            headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
            body: JSON.stringify({ action: `a${agent}-${index}` }),
          });
          if (response.status !== 201) continue;
          acknowledged.add(((await response.json()) as { id: string }).id);
          if (acknowledged.size >= 150) enough();
        } catch {
          // the server died with this create in its batch: it was never acknowledged
        }
      }
    });
    await enoughWritten;
    server.child.kill('SIGKILL');
    killed = true;
    await Promise.all(agents);

    const store = openSqliteStore({ path: dbPath });
    try {
      const { requests, events, audit } = await store.read(async (tx) => ({
        requests: await tx.listRequests({ visibility: { all: true }, limit: 100_000 }),
        events: await tx.listEvents(0, undefined, 100_000),
        audit: await tx.listAudit({ limit: 100_000 }),
      }));
      const stored = new Set(requests.items.map((request) => request.id));
      for (const id of acknowledged) expect(stored.has(id), id).toBe(true);
      // Every stored request came with its event and its audit entry, in the same order.
      const created = events.filter((event) => event.type === 'created');
      expect(new Set(created.map((event) => event.requestId))).toEqual(stored);
      expect(events.map((event) => Number(event.id))).toEqual(events.map((_, index) => index + 1));
      const audited = audit.filter((entry) => entry.type === 'created');
      expect(audited.map((entry) => entry.requestId)).toEqual(created.map((e) => e.requestId));
      const verified = await verifyAuditChain(
        auditPages((afterSeq) => store.read((tx) => tx.listAudit({ afterSeq, limit: 500 }))),
      );
      expect(verified).toMatchObject({ ok: true, entries: audit.length });
    } finally {
      await store.close();
    }
  });
});
