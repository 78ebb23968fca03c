import { randomFillSync } from 'node:crypto';

// The 64 characters of base64url in ASCII order, so the time part of ids sorts as text.
const ORDERED = '-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';
const TIME_CHARS = 8;

// Random bytes fetched a page at a time: one call into the system's generator per many ids.
const pool = Buffer.allocUnsafe(4096);
let used = pool.length;

function randomText(bytes: number): string {
  if (bytes > pool.length) return randomFillSync(Buffer.allocUnsafe(bytes)).toString('base64url');
  if (used + bytes > pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  const text = pool.toString('base64url', used, used + bytes);
  used += bytes;
  return text;
}

let lastMs = -1;
let lastTime = '';

/** `ms` in 8 ordered characters (48 bits: good until the year 10889). */
function timeText(ms: number): string {
  if (ms === lastMs) return lastTime;
  let rest = ms;
  let text = '';
  for (let index = 0; index < TIME_CHARS; index++) {
    text = ORDERED[rest % 64] + text;
    rest = Math.floor(rest / 64);
  }
  lastMs = ms;
  lastTime = text;
  return text;
}

/**
 * A random identifier with a readable prefix, e.g. `req_-P7m4t8kX3f…`: the creation time, then
 * `bytes` random bytes. Ids made close in time sort close together, so the database indexes keyed
 * by them take each new row near the last one instead of anywhere (fewer pages written per commit).
 */
export function newId(prefix: string, bytes = 12): string {
  return `${prefix}_${timeText(Date.now())}${randomText(bytes)}`;
}
