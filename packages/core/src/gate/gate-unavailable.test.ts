import { describe, expect, it } from 'vitest';
import { ApiError, ServiceUnavailableError } from '../errors/index.js';
import { createFakeApprovalService, testPolicy } from '../test-support/gate-fixtures.js';
import { createGate } from './create-gate.js';
import { gateMessages } from './gate-messages.js';

const deploy = { toolName: 'deploy', args: { version: '2.4.1' }, runId: 'r', toolCallId: 'c' };

function failingWait(error: Error) {
  const service = createFakeApprovalService();
  service.wait = async () => {
    throw error;
  };
  return service;
}

describe('gate: the service goes away while a call waits', () => {
  it('says how long it kept trying once the client gives up on an outage', async () => {
    const outage = new ServiceUnavailableError({
      message: 'gave up',
      details: { requestId: 'req_000001', downForMs: 31_400, reconnectWindowMs: 30_000 },
    });
    const decision = await createGate({ policy: testPolicy, service: failingWait(outage) }).check(
      deploy,
    );
    expect(decision).toMatchObject({
      outcome: 'deny',
      reason: 'unavailable',
      requestId: 'req_000001',
      message: gateMessages.unavailableWhileWaiting('req_000001', 31),
      cause: outage,
    });
  });

  it('keeps the plain message for any other failure', async () => {
    const service = failingWait(new ServiceUnavailableError({ message: 'socket hang up' }));
    const decision = await createGate({ policy: testPolicy, service }).check(deploy);
    expect(decision).toMatchObject({ reason: 'unavailable', message: gateMessages.unavailable() });
  });

  it('tells a reused tool call id with other details apart from an outage', async () => {
    const service = createFakeApprovalService();
    service.create = async () => {
      throw new ApiError('idempotency_conflict', { message: 'other body', status: 409 });
    };
    const decision = await createGate({ policy: testPolicy, service }).check(deploy);
    expect(decision).toMatchObject({
      outcome: 'deny',
      reason: 'invalid',
      message: gateMessages.duplicateCall(),
    });
  });
});
