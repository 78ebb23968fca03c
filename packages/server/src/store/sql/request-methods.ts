import type { ApprovalRequest } from '@countersign/core/protocol';
import type { RequestMethods } from '../store-rows.js';
import type { RequestPage, RequestQuery } from '../store-types.js';
import { requestSizesQuery } from './list-queries.js';
import { IDEMPOTENCY, REQUESTS } from './queries.js';
import type { SqlSession } from './sql-session.js';

const parse = (row: { doc: string }) => JSON.parse(row.doc) as ApprovalRequest;

/** Requests and idempotency keys. */
export function requestMethods(db: SqlSession): RequestMethods {
  const columns = (request: ApprovalRequest) => ({
    id: request.id,
    status: request.status,
    kind: request.kind,
    requester: request.requester,
    assignees: JSON.stringify(request.assignees),
    version: request.version,
    doc: JSON.stringify(request),
  });
  return {
    async getRequest(id) {
      const row = await db.one<{ doc: string }>(db.locking ? REQUESTS.getForUpdate : REQUESTS.get, {
        id,
      });
      return row ? parse(row) : undefined;
    },
    async insertRequest(request) {
      await db.write(REQUESTS.insert, columns(request));
    },
    async updateRequest(request, previousVersion) {
      return (await db.run(REQUESTS.update, { ...columns(request), previousVersion })) === 1;
    },
    listRequests: (query) => listRequests(db, query),
    async findIdempotency(principal, key) {
      // Two replicas racing on one key: the second waits here and then finds the first one's row.
      await db.lockName(`idempotency:${principal}:${key}`);
      const row = await db.one<{ body_hash: string; request_id: string }>(IDEMPOTENCY.find, {
        principal,
        key,
      });
      return row ? { bodyHash: row.body_hash, requestId: row.request_id } : undefined;
    },
    async saveIdempotency(principal, key, bodyHash, requestId, createdAt) {
      await db.write(IDEMPOTENCY.save, { principal, key, bodyHash, requestId, createdAt });
    },
    purgeIdempotency: (before, limit) => db.run(IDEMPOTENCY.purge, { before, limit }),
  };
}

/**
 * Reads the sizes first and the documents only of the rows that fit, so a page of large requests
 * never loads more than its byte budget into memory (or its first row, when that alone is larger).
 */
async function listRequests(db: SqlSession, query: RequestQuery): Promise<RequestPage> {
  const sizes = requestSizesQuery(query);
  const candidates = await db.rows<{ seq: number; size: number }>(sizes.query, sizes.parameters);
  const budget = query.maxBytes ?? Number.POSITIVE_INFINITY;
  const chosen: number[] = [];
  let bytes = 0;
  for (const row of candidates.slice(0, query.limit)) {
    bytes += row.size + 1;
    if (chosen.length > 0 && bytes > budget) break;
    chosen.push(row.seq);
  }
  const rows =
    chosen.length === 0 ? [] : await db.rows<{ doc: string }>(REQUESTS.docs, { seqs: chosen });
  return {
    items: rows.map(parse),
    nextBefore: chosen.length < candidates.length ? (chosen.at(-1) ?? null) : null,
  };
}
