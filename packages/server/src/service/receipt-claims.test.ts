import type { ApprovalRequest } from '@countersign/core/protocol';
import { describe, expect, it } from 'vitest';
import { receiptClaimsFor } from './receipt-claims.js';

const at = '2030-01-01T00:00:00.000Z';
const approved = {
  id: 'req_1',
  status: 'approved',
  tool: { name: 'pay', args: { amount: 5 } },
  metadata: { policyRule: 'payments' },
  resolution: { status: 'approved', at, by: ['user:alice'], fingerprint: 'sha256:abc' },
} as unknown as ApprovalRequest;

describe('receipt claims', () => {
  it('name the request, tool, fingerprint, approvers, rule and a short expiry', () => {
    const claims = receiptClaimsFor(approved, 'rct_1', Date.parse(at) + 999, 300_000);
    expect(claims).toEqual({
      iss: 'countersign',
      sub: 'req_1',
      jti: 'rct_1',
      tool: 'pay',
      fingerprint: 'sha256:abc',
      approvers: ['user:alice'],
      rule: 'payments',
      iat: Date.parse(at) / 1000,
      exp: Date.parse(at) / 1000 + 300,
    });
  });

  it('carry the grant that approved the call, given as an id or as a grant reference', () => {
    const withGrant = (grant: unknown) =>
      ({ ...approved, resolution: { ...approved.resolution, grant } }) as ApprovalRequest;
    const reference = { id: 'g_1', grantedBy: 'user:alice', grantedAt: at };
    expect(receiptClaimsFor(withGrant(reference), 'rct_1', 0, 1000).grant).toBe('g_1');
    expect(receiptClaimsFor(withGrant('g_2'), 'rct_1', 0, 1000).grant).toBe('g_2');
    expect(receiptClaimsFor(approved, 'rct_1', 0, 1000)).not.toHaveProperty('grant');
  });
});
