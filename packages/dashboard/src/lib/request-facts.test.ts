import type { ApprovalRequest } from '@countersign/core/protocol';
import { describe, expect, it } from 'vitest';
import {
  canDecide,
  describePrincipal,
  formatRemaining,
  quorumText,
  toolSummary,
} from './request-facts';

function request(overrides: Partial<ApprovalRequest> = {}): ApprovalRequest {
  return {
    id: 'req_1',
    kind: 'approval',
    status: 'pending',
    version: 1,
    action: 'Send an email',
    context: {},
    assignees: [],
    quorum: 2,
    requester: 'agent:bot',
    createdAt: '2025-01-01T00:00:00Z',
    updatedAt: '2025-01-01T00:00:00Z',
    reminders: [],
    decisions: [],
    links: { self: '', wait: '', events: '' },
    tool: { name: 'send_email', args: { to: 'a', subject: 'b' } },
    ...overrides,
  };
}

const approval = (principal: string) => ({
  id: principal,
  outcome: 'approve' as const,
  principal,
  decidedAt: '2025-01-01T00:00:00Z',
});

describe('request facts', () => {
  it('counts distinct approvers against the quorum', () => {
    const decided = request({ decisions: [approval('user:a'), approval('user:a')] });
    expect(quorumText(decided)).toBe('1 of 2 approvals');
  });

  it('lets only a new, non-requesting principal decide a pending request', () => {
    const partial = request({ decisions: [approval('user:a')] });
    expect(canDecide(partial, 'user:b')).toBe(true);
    expect(canDecide(partial, 'user:a')).toBe(false);
    expect(canDecide(partial, 'agent:bot')).toBe(false);
    expect(canDecide(request({ status: 'approved' }), 'user:b')).toBe(false);
  });

  it('words principals, remaining time and the tool call', () => {
    expect(describePrincipal('agent:bot')).toBe('bot (agent)');
    expect(describePrincipal('user:ann')).toBe('ann (reviewer)');
    expect(formatRemaining(0)).toBe('overdue');
    expect(formatRemaining(45_500)).toBe('45 s');
    expect(formatRemaining(7_500_000)).toBe('2 h 05 min');
    expect(formatRemaining(3 * 86_400_000 + 3_600_000)).toBe('3 d 1 h');
    expect(toolSummary(request())).toBe('send_email(to, subject)');
  });
});
