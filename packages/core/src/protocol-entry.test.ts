import { describe, expect, it } from 'vitest';
import * as root from './index.js';
import * as protocol from './protocol-entry.js';

describe('@countersign/core/protocol', () => {
  it('re-exports the same bindings as the root entry, so instanceof and schemas agree', () => {
    const rootExports = new Map<string, unknown>(Object.entries(root));
    const entries = Object.entries(protocol);
    expect(entries.length).toBeGreaterThan(30);
    for (const [name, value] of entries) {
      expect(rootExports.get(name), name).toBe(value);
    }
  });

  it('carries the protocol, errors and fingerprint but not the client, policy or gate', () => {
    expect(Object.keys(protocol)).toEqual(
      expect.arrayContaining([
        'approvalRequestSchema',
        'requestEventSchema',
        'CountersignError',
        'ERROR_HTTP_STATUS',
        'fingerprint',
        'canonicalJson',
      ]),
    );
    for (const name of ['CountersignClient', 'SseParser', 'createGate', 'parsePolicy']) {
      expect(Object.keys(protocol)).not.toContain(name);
    }
  });
});
