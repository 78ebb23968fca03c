import type { ApprovalRequest } from '@countersign/core/protocol';
import { describe, expect, it } from 'vitest';
import { executionEntries, executionText } from './execution-facts';

const approved = {
  id: 'req_1',
  kind: 'approval',
  status: 'approved',
  version: 3,
  action: 'Pay bob',
  tool: { name: 'pay', args: { to: 'bob' } },
  context: {},
  assignees: [],
  quorum: 1,
  requester: 'agent:bot',
  createdAt: '2030-01-01T00:00:00.000Z',
  updatedAt: '2030-01-01T00:00:00.000Z',
  reminders: [],
  decisions: [],
  links: { self: '/v1/requests/req_1', wait: '', events: '' },
} as ApprovalRequest;

describe('execution facts', () => {
  it('says an approved call has not run, is running, succeeded or failed', () => {
    expect(executionText(approved)).toContain('Not run yet');
    const started = {
      state: 'executing',
      attempt: 'a',
      by: 'agent:bot',
      startedAt: '2030-01-01T00:01:00.000Z',
    } as const;
    expect(executionText({ ...approved, execution: started })).toContain('Running since');
    const failed = {
      ...started,
      state: 'failed',
      finishedAt: '2030-01-01T00:02:00.000Z',
      error: 'boom',
    } as const;
    expect(executionText({ ...approved, execution: failed })).toMatch(/failed .*“boom”/);
    expect(executionEntries({ ...approved, execution: failed }).map((entry) => entry.text)).toEqual(
      ['The approved call started', 'The approved call failed: “boom”'],
    );
    expect(executionText({ ...approved, status: 'rejected' })).toBeUndefined();
  });
});
