import type { ApprovalRequest } from '@countersign/core/protocol';
import { describe, expect, it } from 'vitest';
import {
  EMPTY_FILTER,
  finishedInOrder,
  matchesFilter,
  pendingInOrder,
  upsertRequests,
} from './request-collection';

function request(id: string, overrides: Partial<ApprovalRequest> = {}): ApprovalRequest {
  return {
    id,
    kind: 'approval',
    status: 'pending',
    version: 1,
    action: `Action ${id}`,
    context: { ticket: 'T-1' },
    assignees: [],
    quorum: 1,
    requester: 'agent:bot',
    createdAt: `2025-01-01T00:00:0${id.length}Z`,
    updatedAt: '2025-01-01T00:00:00Z',
    reminders: [],
    decisions: [],
    links: { self: '', wait: '', events: '' },
    ...overrides,
  };
}

describe('request collection', () => {
  it('keeps the newer version of a request', () => {
    const first = upsertRequests(new Map(), [request('a', { version: 3, status: 'approved' })]);
    const stale = upsertRequests(first, [request('a', { version: 2 })]);
    expect(stale).toBe(first);
    expect(stale.get('a')?.status).toBe('approved');
    const newer = upsertRequests(first, [request('a', { version: 4, status: 'rejected' })]);
    expect(newer.get('a')?.status).toBe('rejected');
  });

  it('orders pending by deadline and finished by resolution time', () => {
    const collection = upsertRequests(new Map(), [
      request('a'),
      request('bb', { deadline: '2025-01-02T00:00:00Z' }),
      request('c', {
        status: 'approved',
        resolution: { status: 'approved', at: '2025-01-01T01:00:00Z', by: ['user:x'] },
      }),
      request('d', {
        status: 'rejected',
        resolution: { status: 'rejected', at: '2025-01-01T02:00:00Z', by: ['user:y'] },
      }),
    ]);
    expect(pendingInOrder(collection).map((r) => r.id)).toEqual(['bb', 'a']);
    expect(finishedInOrder(collection).map((r) => r.id)).toEqual(['d', 'c']);
  });

  it('filters by kind, assignee, requester and words', () => {
    const item = request('a', {
      kind: 'form',
      assignees: ['group:ops'],
      requester: 'agent:ops-bot',
    });
    expect(matchesFilter(item, EMPTY_FILTER)).toBe(true);
    expect(matchesFilter(item, { ...EMPTY_FILTER, kind: 'approval' })).toBe(false);
    expect(matchesFilter(item, { ...EMPTY_FILTER, assignee: 'group:ops' })).toBe(true);
    expect(matchesFilter(item, { ...EMPTY_FILTER, assignee: 'unassigned' })).toBe(false);
    expect(matchesFilter(item, { ...EMPTY_FILTER, requester: 'agent:other' })).toBe(false);
    expect(matchesFilter(item, { ...EMPTY_FILTER, search: 'ACTION t-1' })).toBe(true);
    expect(matchesFilter(item, { ...EMPTY_FILTER, search: 'missing' })).toBe(false);
  });
});
