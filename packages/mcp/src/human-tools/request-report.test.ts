import type { ApprovalRequest } from '@countersign/core';
import { describe, expect, it } from 'vitest';
import { reportRequest } from './request-report.js';

function request(change: Partial<ApprovalRequest>): ApprovalRequest {
  const at = '2026-01-01T00:00:00.000Z';
  return {
    id: 'req_1',
    kind: 'approval',
    status: 'pending',
    version: 1,
    action: 'Do it',
    context: {},
    assignees: [],
    quorum: 1,
    requester: 'agent:a',
    createdAt: at,
    updatedAt: at,
    reminders: [],
    decisions: [],
    links: { self: '/v1/requests/req_1', wait: '/w', events: '/e' },
    ...change,
  };
}

describe('reportRequest', () => {
  it('refuses a form answer that does not match the form schema', () => {
    const result = reportRequest(
      request({
        kind: 'form',
        status: 'answered',
        responseSchema: { type: 'object', required: ['n'], properties: { n: { type: 'integer' } } },
        resolution: {
          status: 'answered',
          at: '2026-01-01T00:00:01.000Z',
          by: ['user:x'],
          response: { n: 'one' },
        },
      }),
    );
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toMatchObject({ valid: false });
  });

  it('says an expiry is not a rejection', () => {
    const result = reportRequest(
      request({
        status: 'expired',
        resolution: { status: 'expired', at: '2026-01-01T00:00:01.000Z', by: [] },
      }),
    );
    expect(result.isError).toBeFalsy();
    expect(JSON.stringify(result.content)).toContain('not a rejection');
    expect(result.structuredContent).toMatchObject({ status: 'expired', approved: false });
  });

  it('hands over edited values from an approval', () => {
    const result = reportRequest(
      request({
        status: 'approved',
        resolution: {
          status: 'approved',
          at: '2026-01-01T00:00:01.000Z',
          by: ['user:x'],
          edited: true,
          args: { amount: 5 },
        },
      }),
    );
    expect(result.structuredContent).toMatchObject({ approved: true, values: { amount: 5 } });
  });
});
