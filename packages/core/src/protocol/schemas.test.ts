import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { requestEventSchema } from './events.js';
import {
  approvalRequestSchema,
  cancelBodySchema,
  createRequestBodySchema,
  decisionBodySchema,
  updateRequestBodySchema,
} from './request.js';
import { assigneeSchema, toolCallSchema } from './schemas.js';
import { isTerminalStatus, TERMINAL_STATUSES } from './wire-values.js';

const at = '2026-01-01T00:00:00.000Z';

/** A complete request as a server would send it. */
const sampleRequest = {
  id: 'req_1',
  kind: 'approval',
  status: 'approved',
  version: 3,
  action: 'Deploy v2.4.1 to prod',
  tool: { name: 'deploy', args: { version: '2.4.1' } },
  fingerprint: 'sha256:00',
  context: {},
  assignees: ['group:ops'],
  quorum: 1,
  requester: 'agent:bot',
  createdAt: at,
  updatedAt: at,
  reminders: [],
  decisions: [
    {
      id: 'd1',
      outcome: 'approve',
      principal: 'user:alice',
      fingerprint: 'sha256:00',
      decidedAt: at,
    },
  ],
  resolution: {
    status: 'approved',
    at,
    by: ['user:alice'],
    args: { version: '2.4.1' },
    edited: false,
  },
  links: {
    self: '/v1/requests/req_1',
    wait: '/v1/requests/req_1/wait',
    events: '/v1/requests/req_1/events',
  },
};

describe('createRequestBodySchema', () => {
  it('accepts the minimal body and applies defaults', () => {
    expect(createRequestBodySchema.parse({ action: 'Deploy v2.4.1 to prod' })).toEqual({
      action: 'Deploy v2.4.1 to prod',
      kind: 'approval',
      quorum: 1,
    });
  });

  it('accepts the documented full body', () => {
    const body = {
      action: 'Deploy v2.4.1 to prod',
      tool: { name: 'deploy', args: { version: '2.4.1' } },
      context: { ticket: 'OPS-1' },
      kind: 'approval',
      assignees: ['user:alice', 'group:legal'],
      quorum: 1,
      timeout: '48h',
    };
    expect(createRequestBodySchema.parse(body)).toEqual(body);
  });

  it('refuses unknown keys, a blank action, bad assignees, durations and quorum', () => {
    for (const body of [
      { action: 'x', surprise: true },
      { action: '   ' },
      {},
      { action: 'x', assignees: ['alice'] },
      { action: 'x', assignees: ['agent:bot'] },
      { action: 'x', timeout: '2 days' },
      { action: 'x', quorum: 0 },
      { action: 'x', tool: { name: 'deploy', args: {}, extra: 1 } },
      { action: 'x', callbackUrl: 'ftp://example.test/hook' },
    ]) {
      expect(createRequestBodySchema.safeParse(body).success, JSON.stringify(body)).toBe(false);
    }
  });

  it('requires a response schema for a form', () => {
    expect(createRequestBodySchema.safeParse({ action: 'x', kind: 'form' }).success).toBe(false);
    const form = { action: 'x', kind: 'form', responseSchema: { type: 'object' } };
    expect(createRequestBodySchema.safeParse(form).success).toBe(true);
  });

  it('never throws, whatever JSON it is given', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(() => createRequestBodySchema.safeParse(value)).not.toThrow();
        expect(() => decisionBodySchema.safeParse(value)).not.toThrow();
      }),
    );
  });
});

describe('decisionBodySchema', () => {
  it('accepts each outcome with what it needs', () => {
    for (const body of [
      { outcome: 'approve' },
      { outcome: 'approve', comment: 'ok', expectedVersion: 2 },
      { outcome: 'reject', reason: 'Wrong account' },
      { outcome: 'edit', args: { amount: 10 } },
      { outcome: 'respond', response: 'use the other account' },
      { outcome: 'respond', response: null },
    ]) {
      expect(decisionBodySchema.safeParse(body).success, JSON.stringify(body)).toBe(true);
    }
  });

  it('refuses a reject without reason, an edit without args, a respond without response', () => {
    for (const body of [
      { outcome: 'reject' },
      { outcome: 'reject', reason: '  ' },
      { outcome: 'edit' },
      { outcome: 'respond' },
      { outcome: 'maybe' },
      { outcome: 'approve', extra: 1 },
      { outcome: 'approve', expectedVersion: 0 },
    ]) {
      expect(decisionBodySchema.safeParse(body).success, JSON.stringify(body)).toBe(false);
    }
  });
});

describe('request, event and update schemas', () => {
  it('parses a full request and its event', () => {
    expect(approvalRequestSchema.parse(sampleRequest).resolution?.by).toEqual(['user:alice']);
    const event = {
      id: 'e1',
      requestId: 'req_1',
      seq: 1,
      type: 'decided',
      at,
      version: 3,
      actor: 'user:alice',
      data: {},
      request: sampleRequest,
    };
    expect(requestEventSchema.parse(event).type).toBe('decided');
    expect(requestEventSchema.safeParse({ ...event, seq: 0 }).success).toBe(false);
    expect(requestEventSchema.safeParse({ ...event, type: 'rejected' }).success).toBe(false);
  });

  it('refuses a request whose resolution is pending or whose status is unknown', () => {
    const pending = {
      ...sampleRequest,
      resolution: { ...sampleRequest.resolution, status: 'pending' },
    };
    expect(approvalRequestSchema.safeParse(pending).success).toBe(false);
    expect(approvalRequestSchema.safeParse({ ...sampleRequest, status: 'denied' }).success).toBe(
      false,
    );
  });

  it('takes a deadline or a timeout in an update, not both', () => {
    expect(updateRequestBodySchema.safeParse({ expectedVersion: 1, timeout: '1h' }).success).toBe(
      true,
    );
    expect(updateRequestBodySchema.safeParse({ expectedVersion: 1, deadline: null }).success).toBe(
      true,
    );
    expect(
      updateRequestBodySchema.safeParse({ expectedVersion: 1, timeout: '1h', deadline: at })
        .success,
    ).toBe(false);
    expect(updateRequestBodySchema.safeParse({ timeout: '1h' }).success).toBe(false);
  });

  it('cancel takes an optional reason only', () => {
    expect(cancelBodySchema.safeParse({}).success).toBe(true);
    expect(cancelBodySchema.safeParse({ reason: 'no longer needed' }).success).toBe(true);
    expect(cancelBodySchema.safeParse({ why: 'x' }).success).toBe(false);
  });
});

describe('small schemas', () => {
  it('assignees are user:NAME or group:NAME', () => {
    expect(assigneeSchema.safeParse('user:alice@example.com').success).toBe(true);
    expect(assigneeSchema.safeParse('group:ops-team').success).toBe(true);
    for (const bad of ['alice', 'user:', 'team:ops', 'user:-x', `user:${'a'.repeat(200)}`]) {
      expect(assigneeSchema.safeParse(bad).success, bad).toBe(false);
    }
  });

  it('a tool call defaults its args and refuses unknown keys', () => {
    expect(toolCallSchema.parse({ name: 'ping' })).toEqual({ name: 'ping', args: {} });
    expect(toolCallSchema.safeParse({ name: '' }).success).toBe(false);
  });

  it('expired and cancelled are terminal but not pending', () => {
    expect(TERMINAL_STATUSES).toEqual(['approved', 'rejected', 'answered', 'expired', 'cancelled']);
    expect(isTerminalStatus('pending')).toBe(false);
    for (const status of TERMINAL_STATUSES) expect(isTerminalStatus(status)).toBe(true);
  });
});
