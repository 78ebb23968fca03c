import { fail } from '../service/failures.js';

// Request ids are `req_` + 12 random bytes. AXME ids are UUIDs, so the 12 bytes are laid out in a
// version-8 UUID (whose bits are free-form) with a fixed marker in the last two bytes: the mapping
// is a bijection that needs no lookup table, so every Countersign request is also an intent.
const MARKER = [0xc5, 0x19] as const;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** The intent (and thread, and approval) UUID of a Countersign request id; undefined if it has none. */
export function intentIdFor(requestId: string): string | undefined {
  const match = /^req_([A-Za-z0-9_-]{16})$/.exec(requestId);
  if (!match) return undefined;
  const raw = Buffer.from(match[1] as string, 'base64url');
  if (raw.length !== 12) return undefined;
  const bytes = Buffer.alloc(16);
  raw.copy(bytes, 0, 0, 6);
  bytes[6] = 0x80;
  bytes[7] = raw[6] as number;
  bytes[8] = 0x80;
  bytes[9] = raw[7] as number;
  raw.copy(bytes, 10, 8, 12);
  bytes[14] = MARKER[0];
  bytes[15] = MARKER[1];
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The request id behind an intent UUID; undefined for a UUID this server never issued. */
export function requestIdFor(intentId: string): string | undefined {
  if (!UUID_PATTERN.test(intentId)) return undefined;
  const bytes = Buffer.from(intentId.replaceAll('-', ''), 'hex');
  if (bytes[6] !== 0x80 || bytes[8] !== 0x80) return undefined;
  if (bytes[14] !== MARKER[0] || bytes[15] !== MARKER[1]) return undefined;
  const raw = Buffer.concat([
    bytes.subarray(0, 6),
    bytes.subarray(7, 8),
    bytes.subarray(9, 10),
    bytes.subarray(10, 14),
  ]);
  return `req_${raw.toString('base64url')}`;
}

/** The request id for a path's intent, thread or approval id; 404 when it names nothing of ours. */
export function requestIdOrNotFound(intentId: string): string {
  const id = requestIdFor(intentId);
  if (!id) throw fail('not_found', `No intent ${intentId}`, { intentId });
  return id;
}
