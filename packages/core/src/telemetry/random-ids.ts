import { randomFillSync } from 'node:crypto';
import { INVALID_SPANID, INVALID_TRACEID } from '@opentelemetry/api';

/**
 * Trace and span ids cut from a pool of random bytes that is hex-encoded 2 KiB at a time, rather
 * than encoding a few bytes per id as the SDK's own generator does: a request makes two ids or
 * more. The bytes come from the system's CSPRNG; an all-zero id (invalid) is skipped.
 */
export class PooledIdGenerator {
  readonly #bytes = Buffer.allocUnsafe(2048);
  #hex = '';
  #at = 0;

  generateTraceId(): string {
    return this.#take(32, INVALID_TRACEID);
  }

  generateSpanId(): string {
    return this.#take(16, INVALID_SPANID);
  }

  #take(length: number, invalid: string): string {
    if (this.#at + length > this.#hex.length) {
      randomFillSync(this.#bytes);
      this.#hex = this.#bytes.toString('hex');
      this.#at = 0;
    }
    const id = this.#hex.slice(this.#at, this.#at + length);
    this.#at += length;
    return id === invalid ? this.#take(length, invalid) : id;
  }
}
