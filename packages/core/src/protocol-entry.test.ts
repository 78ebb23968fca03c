import { describe, expect, it } from 'vitest';
import * as fingerprintEntry from './fingerprint/index.js';
import * as root from './index.js';
import * as protocol from './protocol-entry.js';

describe('@countersign/core/protocol', () => {
  it('re-exports the same bindings as the root entry, so instanceof and schemas agree', () => {
    const rootExports = new Map<string, unknown>(Object.entries(root));
    const entries = [...Object.entries(protocol), ...Object.entries(fingerprintEntry)];
    expect(entries.length).toBeGreaterThan(30);
    for (const [name, value] of entries) {
      expect(rootExports.get(name), name).toBe(value);
    }
  });

  it('carries the protocol, value lists, SSE parser and errors but not the client, policy or gate', () => {
    expect(Object.keys(protocol)).toEqual(
      expect.arrayContaining([
        'approvalRequestSchema',
        'requestEventSchema',
        'CountersignError',
        'ERROR_HTTP_STATUS',
        'canonicalJson',
        'SseParser',
        'REQUEST_STATUSES',
        'REQUEST_KINDS',
        'REQUEST_EVENT_TYPES',
        'DECISION_OUTCOMES',
        'TERMINAL_STATUSES',
      ]),
    );
    for (const name of ['CountersignClient', 'createGate', 'parsePolicy']) {
      expect(Object.keys(protocol)).not.toContain(name);
    }
  });

  it('leaves fingerprints (node:crypto) to @countersign/core/fingerprint', () => {
    for (const name of ['fingerprint', 'assertFingerprint', 'FINGERPRINT_PREFIX']) {
      expect(Object.keys(protocol)).not.toContain(name);
      expect(Object.keys(fingerprintEntry)).toContain(name);
    }
  });
});
