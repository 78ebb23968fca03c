import { InvalidResponseError } from '@countersign/core/protocol';
import type { ApiClient } from './api-client';

/** One entry of the audit hash chain, as the server exports it. */
export type AuditEntry = Record<string, unknown>;

/** Reads JSON Lines, or a JSON array, or `{ items }`, into entries. */
export function parseAuditEntries(text: string): AuditEntry[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  try {
    if (trimmed.startsWith('[')) return JSON.parse(trimmed) as AuditEntry[];
    const lines = trimmed.split(/\r?\n/).filter((line) => line.trim() !== '');
    const entries = lines.map((line) => JSON.parse(line) as unknown);
    const first = entries[0] as { items?: unknown } | undefined;
    if (entries.length === 1 && Array.isArray(first?.items)) return first.items as AuditEntry[];
    return entries as AuditEntry[];
  } catch (cause) {
    throw new InvalidResponseError({ message: 'The audit log is not valid JSON Lines', cause });
  }
}

/** The audit chain entries of one request, oldest first. */
export async function fetchAuditChain(api: ApiClient, requestId: string): Promise<AuditEntry[]> {
  const query = new URLSearchParams({ requestId, format: 'jsonl' });
  const text = await api.send('GET', `/v1/audit?${query}`, undefined, 'application/x-ndjson');
  return parseAuditEntries(text);
}

/** The result of verifying the whole audit chain. */
export interface AuditVerification {
  /** True when every entry's hash and link checks out. */
  ok: boolean;
  /** Everything else the server said (entry count, the first bad entry, …). */
  details: Record<string, unknown>;
}

/** Asks the server to verify the whole chain. */
export async function verifyAuditChain(api: ApiClient): Promise<AuditVerification> {
  const text = await api.send('GET', '/v1/audit/verify');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (cause) {
    throw new InvalidResponseError({ message: 'The verification result is not JSON', cause });
  }
  const record = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const ok = record.ok === true || record.valid === true;
  return { ok, details: record };
}
