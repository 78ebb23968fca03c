import { describe, expect, it } from 'vitest';
import type { ApprovalService } from '../client/client-types.js';
import {
  ApiError,
  CountersignError,
  InvalidResponseError,
  ServiceUnavailableError,
} from '../errors/index.js';
import { fingerprint } from '../fingerprint/index.js';
import { definePolicy } from '../policy/parse-policy.js';
import type { ApprovalRequest, JsonObject } from '../protocol/index.js';
import { createFakeApprovalService, testPolicy } from '../test-support/gate-fixtures.js';
import { createGate } from './create-gate.js';

const deploy = {
  toolName: 'deploy',
  args: { version: '2.4.1', env: 'prod' },
  runId: 'r',
  toolCallId: 'c',
};

describe('gate: human-edited arguments', () => {
  const editing = (args: JsonObject) =>
    createFakeApprovalService({ onCreate: () => ({ outcome: 'edit', args }) });

  it('runs the edited args as edited, after the tool validated them', async () => {
    const seen: JsonObject[] = [];
    const service = editing({ version: '2.4.0', env: 'prod' });
    const gate = createGate({ policy: testPolicy, service });
    const decision = await gate.check({
      ...deploy,
      // A schema that fills defaults: its parsed output is not what the human approved.
      validateArgs: (args) => {
        seen.push(args);
        return { ...args, dryRun: false };
      },
    });
    const ran = { version: '2.4.0', env: 'prod' };
    expect(decision).toMatchObject({
      outcome: 'allow',
      edited: true,
      args: ran,
      fingerprint: fingerprint('deploy', ran),
    });
    expect(decision.outcome === 'allow' && decision.args).toEqual(ran);
    expect(service.requests()[0]?.resolution?.fingerprint).toBe(fingerprint('deploy', ran));
    expect(seen).toEqual([{ version: '2.4.0', env: 'prod' }]);
  });

  it('hands the validator a copy, so it cannot change what runs', async () => {
    const gate = createGate({ policy: testPolicy, service: editing({ version: '2.4.0' }) });
    const decision = await gate.check({
      ...deploy,
      validateArgs: (args) => {
        args.version = '9.9.9';
      },
    });
    expect(decision).toMatchObject({ outcome: 'allow', edited: true, args: { version: '2.4.0' } });
  });

  it('denies (invalid) when the validator refuses the edited args', async () => {
    const gate = createGate({ policy: testPolicy, service: editing({ version: 7 }) });
    const decision = await gate.check({
      ...deploy,
      validateArgs: () => {
        throw new Error('version must be a string');
      },
    });
    expect(decision).toMatchObject({ outcome: 'deny', reason: 'invalid', requestId: 'req_000001' });
    expect(decision.outcome === 'deny' && decision.message).toContain('version must be a string');
  });

  it('re-checks edited args: a policy deny wins, a require is met by the approval', async () => {
    const policy = definePolicy({
      version: 1,
      rules: [{ name: 'no-huge', when: 'args.amount > 1000000.0', action: 'deny' }],
    });
    const denied = createGate({
      policy,
      service: createFakeApprovalService({
        onCreate: () => ({ outcome: 'edit', args: { amount: 5e6, to: 'x' } }),
      }),
    });
    const decision = await denied.check({
      toolName: 'transfer_funds',
      args: { amount: 5000, to: 'x' },
    });
    expect(decision).toMatchObject({ outcome: 'deny', reason: 'policy', rule: 'no-huge' });
    expect(decision.outcome === 'deny' && decision.message).toContain('edited the arguments');

    const service = createFakeApprovalService({
      onCreate: () => ({ outcome: 'edit', args: { amount: 4000, to: 'y' } }),
    });
    const required = createGate({ policy, service });
    const allowed = await required.check({
      toolName: 'transfer_funds',
      args: { amount: 5000, to: 'x' },
    });
    expect(allowed).toMatchObject({
      outcome: 'allow',
      edited: true,
      args: { amount: 4000, to: 'y' },
    });
    expect(service.requests()).toHaveLength(1);
  });
});

/** A service whose every request resolves as `finish` shapes it. */
function scripted(finish: (request: ApprovalRequest) => unknown): ApprovalService {
  const fake = createFakeApprovalService({ onCreate: () => ({ outcome: 'approve' }) });
  return {
    ...fake,
    create: async (body, options) => finish(await fake.create(body, options)) as ApprovalRequest,
  };
}

describe('gate: fails closed', () => {
  it('denies (invalid) when the approval names other arguments than would run', async () => {
    const gate = createGate({
      policy: testPolicy,
      service: scripted((request) => ({
        ...request,
        resolution: {
          ...request.resolution,
          args: { version: 'evil' },
          fingerprint: fingerprint('deploy', deploy.args),
        },
      })),
    });
    const decision = await gate.check(deploy);
    expect(decision).toMatchObject({ outcome: 'deny', reason: 'invalid' });
    expect(
      decision.outcome === 'deny' &&
        CountersignError.hasCode(decision.cause, 'fingerprint_mismatch'),
    ).toBe(true);
  });

  it('denies (invalid) when the approval carries no fingerprint', async () => {
    const gate = createGate({
      policy: testPolicy,
      service: scripted((request) => ({
        ...request,
        resolution: { ...request.resolution, fingerprint: undefined },
      })),
    });
    expect(await gate.check(deploy)).toMatchObject({ outcome: 'deny', reason: 'invalid' });
  });

  it('denies (unavailable) on garbage, or a request about another call', async () => {
    for (const garbage of [
      () => ({ hello: 'world' }),
      () => 'not json',
      (request: ApprovalRequest) => ({ ...request, tool: { name: 'other', args: {} } }),
      (request: ApprovalRequest) => ({ ...request, fingerprint: fingerprint('deploy', { x: 1 }) }),
    ]) {
      const decision = await createGate({ policy: testPolicy, service: scripted(garbage) }).check(
        deploy,
      );
      expect(decision).toMatchObject({ outcome: 'deny', reason: 'unavailable' });
      expect(decision.outcome === 'deny' && decision.cause).toBeInstanceOf(InvalidResponseError);
    }
  });

  it('denies (unavailable) when the service is down or throws anything', async () => {
    const service = createFakeApprovalService();
    service.failWith(new ServiceUnavailableError());
    const down = await createGate({ policy: testPolicy, service }).check(deploy);
    expect(down).toMatchObject({ outcome: 'deny', reason: 'unavailable' });
    expect(down.outcome === 'deny' && down.message).toContain('not a rejection');
    service.failWith(new TypeError('boom'));
    expect(await createGate({ policy: testPolicy, service }).check(deploy)).toMatchObject({
      outcome: 'deny',
      reason: 'unavailable',
    });
  });

  it('denies (invalid) when the service refuses the request body', async () => {
    const service = createFakeApprovalService();
    service.failWith(new ApiError('validation_failed', { message: 'bad assignee', status: 400 }));
    expect(await createGate({ policy: testPolicy, service }).check(deploy)).toMatchObject({
      outcome: 'deny',
      reason: 'invalid',
    });
  });

  it('denies (unavailable) when wait returns a pending request without a timeout', async () => {
    const fake = createFakeApprovalService();
    const service: ApprovalService = { ...fake, wait: (id) => fake.get(id) };
    expect(await createGate({ policy: testPolicy, service }).check(deploy)).toMatchObject({
      outcome: 'deny',
      reason: 'unavailable',
      requestId: 'req_000001',
    });
  });

  it('denies (aborted) when the signal fires while waiting', async () => {
    const service = createFakeApprovalService();
    const controller = new AbortController();
    const pending = createGate({ policy: testPolicy, service }).check({
      ...deploy,
      signal: controller.signal,
    });
    await service.waitForRequest();
    controller.abort();
    expect(await pending).toMatchObject({
      outcome: 'deny',
      reason: 'aborted',
      requestId: 'req_000001',
    });
  });

  it('denies (invalid) arguments that are not plain JSON, without asking', async () => {
    const service = createFakeApprovalService();
    const decision = await createGate({ policy: testPolicy, service }).check({
      toolName: 'deploy',
      args: { count: Number.NaN },
    });
    expect(decision).toMatchObject({ outcome: 'deny', reason: 'invalid' });
    expect(service.calls).toEqual([]);
  });
});
