import { createHash } from 'node:crypto';
import { canonicalJson } from '@countersign/core/protocol';
import type { AuditEntry, StoreTx } from '../store/store-types.js';

/** The `prevHash` of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** What a caller supplies for a new audit entry; the chain fills in seq and hashes. */
export type AuditInput = Pick<AuditEntry, 'at' | 'type' | 'requestId' | 'actor' | 'data'>;

/** SHA-256 over the canonical JSON of everything in the entry except its own hash. */
export function hashAuditEntry(entry: Omit<AuditEntry, 'hash'>): string {
  const canonical = canonicalJson({
    seq: entry.seq,
    at: entry.at,
    type: entry.type,
    requestId: entry.requestId,
    actor: entry.actor,
    data: entry.data,
    prevHash: entry.prevHash,
  });
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/** Appends an entry to the chain; call inside the transaction that makes the change. */
export async function appendAudit(tx: StoreTx, input: AuditInput): Promise<AuditEntry> {
  const last = await tx.lastAudit();
  const partial = { ...input, seq: (last?.seq ?? 0) + 1, prevHash: last?.hash ?? GENESIS_HASH };
  const entry: AuditEntry = { ...partial, hash: hashAuditEntry(partial) };
  await tx.appendAudit(entry);
  return entry;
}

/** The outcome of checking the chain. */
export interface AuditVerification {
  ok: boolean;
  /** How many entries were checked. */
  entries: number;
  /** The first entry that does not fit, when `ok` is false. */
  firstBad?: { seq: number; problem: 'edited' | 'deleted' | 'reordered' | 'broken-link' };
  message: string;
}

/** Checks a whole chain, oldest first, naming the first edited, deleted or reordered entry. */
export async function verifyAuditChain(
  pages: AsyncIterable<AuditEntry[]>,
): Promise<AuditVerification> {
  let previous: AuditEntry | undefined;
  let count = 0;
  for await (const page of pages) {
    for (const entry of page) {
      count++;
      const expectedSeq = (previous?.seq ?? 0) + 1;
      const bad = (problem: NonNullable<AuditVerification['firstBad']>['problem'], text: string) =>
        ({
          ok: false,
          entries: count,
          firstBad: { seq: entry.seq, problem },
          message: text,
        }) as const;
      if (hashAuditEntry(entry) !== entry.hash) {
        return bad('edited', `Entry ${entry.seq} was edited: its hash does not match its content`);
      }
      if (entry.prevHash !== (previous?.hash ?? GENESIS_HASH)) {
        if (entry.seq !== expectedSeq && entry.seq > expectedSeq) {
          return bad('deleted', `Entry ${expectedSeq} is missing before entry ${entry.seq}`);
        }
        return bad(
          entry.seq === expectedSeq ? 'broken-link' : 'reordered',
          `Entry ${entry.seq} does not follow entry ${previous?.seq ?? 0}: the chain was reordered or rewritten`,
        );
      }
      if (entry.seq !== expectedSeq) {
        return bad('reordered', `Entry ${entry.seq} is out of order (expected ${expectedSeq})`);
      }
      previous = entry;
    }
  }
  return { ok: true, entries: count, message: `The audit chain of ${count} entries is intact` };
}

/** Reads the whole audit log page by page. */
export async function* auditPages(
  read: (afterSeq: number) => Promise<AuditEntry[]>,
): AsyncIterable<AuditEntry[]> {
  let afterSeq = 0;
  for (;;) {
    const page = await read(afterSeq);
    if (page.length === 0) return;
    yield page;
    afterSeq = (page.at(-1) as AuditEntry).seq;
  }
}
