import { isValidSpanId, isValidTraceId } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { PooledIdGenerator } from './random-ids.js';

describe('PooledIdGenerator', () => {
  it('makes valid, distinct ids across refills of its pool', () => {
    const ids = new PooledIdGenerator();
    const traces = new Set<string>();
    const spans = new Set<string>();
    // 2 KiB of bytes is 4,096 hex characters: this runs through the pool dozens of times.
    for (let index = 0; index < 5_000; index += 1) {
      const traceId = ids.generateTraceId();
      const spanId = ids.generateSpanId();
      expect(isValidTraceId(traceId)).toBe(true);
      expect(isValidSpanId(spanId)).toBe(true);
      traces.add(traceId);
      spans.add(spanId);
    }
    expect(traces.size).toBe(5_000);
    expect(spans.size).toBe(5_000);
  });
});
