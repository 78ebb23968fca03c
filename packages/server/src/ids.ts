import { randomFillSync } from 'node:crypto';

const TIME_BYTES = 4;

// Random bytes fetched a page at a time: one call into the system's generator per many ids.
const pool = Buffer.allocUnsafe(4096);
let used = pool.length;

function fillRandom(target: Buffer, start: number): void {
  const count = target.length - start;
  if (count > pool.length) {
    randomFillSync(target, start);
    return;
  }
  if (used + count > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  pool.copy(target, start, used, used + count);
  used += count;
}

/**
 * A random identifier with a readable prefix, e.g. `req_AZrN2v3k9fQx1b7Z`: `bytes` bytes (at least
 * 8) in base64url, the first four the creation time in milliseconds (modulo 2^32, about 50 days), the
 * rest random. Ids made close in time share their first characters, so the database indexes keyed
 * by them take each new row near the last one instead of anywhere (fewer pages written per
 * commit). Request ids must stay 12 bytes: AXME intent ids are made from them.
 */
export function newId(prefix: string, bytes = 12): string {
  const id = Buffer.allocUnsafe(bytes);
  id.writeUInt32BE(Date.now() % 2 ** 32, 0);
  fillRandom(id, TIME_BYTES);
  return `${prefix}_${id.toString('base64url')}`;
}
