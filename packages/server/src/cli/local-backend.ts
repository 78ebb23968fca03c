import type { RequestStatus } from '@countersign/core/protocol';
import { auditPages, verifyAuditChain } from '../audit/audit-chain.js';
import type { Principal } from '../auth/principal.js';
import { systemClock } from '../clock.js';
import { pageWithCursor } from '../http/list-cursor.js';
import { auditCsvRow } from '../http/routes-audit.js';
import { decideRequest } from '../service/decide-request.js';
import { EventBus } from '../service/event-bus.js';
import { requestNotFound } from '../service/failures.js';
import { createGrant, listGrants, revokeGrant } from '../service/grants.js';
import type { ServiceContext } from '../service/service-context.js';
import type { Store } from '../store/store-types.js';
import type { Backend } from './backend.js';

/**
 * Works on the database directly (SQLite file or PostgreSQL), as an admin named `name` (offline
 * administration). The backend owns `store` and closes it on `close()`.
 */
export function localBackend(store: Store, name: string): Backend {
  const context: ServiceContext = { store, clock: systemClock, bus: new EventBus() };
  const principal: Principal = {
    id: `user:${name}`,
    role: 'admin',
    name,
    groups: [],
    keyId: 'cli',
  };
  return {
    list: async (options) =>
      pageWithCursor(
        await store.read((tx) =>
          tx.listRequests({
            visibility: { all: true },
            ...(options.status ? { status: options.status as RequestStatus } : {}),
            limit: options.limit ?? 50,
          }),
        ),
      ),
    async get(id) {
      const request = await store.read((tx) => tx.getRequest(id));
      if (!request) throw requestNotFound(id);
      return request;
    },
    decide: (id, body) => decideRequest(context, principal, id, body),
    async auditExport(options, write) {
      if (options.format === 'csv') write('seq,at,type,requestId,actor,data,prevHash,hash\n');
      const pages = auditPages((afterSeq) =>
        store.read((tx) =>
          tx.listAudit({
            afterSeq,
            limit: 1000,
            ...(options.requestId ? { requestId: options.requestId } : {}),
            ...(options.from ? { from: new Date(options.from).toISOString() } : {}),
            ...(options.to ? { to: new Date(options.to).toISOString() } : {}),
          }),
        ),
      );
      for await (const page of pages) {
        const lines = page.map((entry) =>
          options.format === 'csv' ? auditCsvRow(entry) : JSON.stringify(entry),
        );
        write(`${lines.join('\n')}\n`);
      }
    },
    auditVerify: () =>
      verifyAuditChain(
        auditPages((afterSeq) => store.read((tx) => tx.listAudit({ afterSeq, limit: 1000 }))),
      ),
    listGrants: (options) => listGrants(context, principal, { live: !options.all, limit: 500 }),
    revokeGrant: (id, reason) => revokeGrant(context, principal, id, reason),
    createGrant: (body) => createGrant(context, principal, body),
    close: () => store.close(),
  };
}
