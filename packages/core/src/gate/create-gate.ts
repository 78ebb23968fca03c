import type { ApprovalService } from '../client/client-types.js';
import { InvalidResponseError } from '../errors/index.js';
import { fingerprint } from '../fingerprint/index.js';
import { DEFAULT_POLICY } from '../policy/default-policy.js';
import type { PolicyDecision } from '../policy/policy-types.js';
import { type ApprovalRequest, approvalRequestSchema } from '../protocol/index.js';
import { callerRequire, DEFAULT_APPROVAL } from './caller-approval.js';
import { defaultService } from './default-service.js';
import { isReportable, sendExecutionReport } from './execution-report.js';
import { denyForError } from './gate-failure.js';
import { gateMessages } from './gate-messages.js';
import { inGateSpan, reportDecision } from './gate-observer.js';
import { assertGateOptions } from './gate-options.js';
import type {
  ExecutionReportDetails,
  ExecutionReportState,
  Gate,
  GateAllow,
  GateCheckInput,
  GateDecision,
  GateDeny,
  GateOptions,
} from './gate-types.js';
import { askAgain, escapedAgain } from './reask.js';
import { RejectionCache } from './rejection-cache.js';
import { buildCreateBody, idempotencyKeyFor } from './request-body.js';
import { resolveRequest } from './resolve-request.js';

/**
 * Creates a gate: the policy decides each call; `allow` returns at once (no network, no disk),
 * `deny` returns a message for the model, `require` asks a human through the approval service and
 * waits for the decision. Fails closed on every error.
 *
 * @example
 * const gate = createGate({ policy: await loadPolicy('countersign.yaml') });
 * const decision = await gate.check({ toolName: 'transfer_funds', args, runId, toolCallId });
 * if (decision.outcome === 'allow') await transferFunds(decision.args);
 */
export function createGate(options: GateOptions = {}): Gate {
  assertGateOptions(options);
  const policy = options.policy ?? DEFAULT_POLICY;
  const rejections = new RejectionCache(options.rejectionCacheSize ?? 1000);
  let service: ApprovalService | undefined = options.service;
  const evaluate = (input: GateCheckInput): PolicyDecision =>
    policy.evaluate({
      toolName: input.toolName,
      args: input.args,
      context: input.context,
      annotations: input.annotations,
      runId: input.runId,
    });

  const onDecision = options.onDecision;

  async function check(input: GateCheckInput): Promise<GateDecision> {
    if (onDecision === undefined) return decide(input, undefined);
    const startedAt = performance.now();
    const seen: { action: 'allow' | 'deny' | 'require' } = { action: 'allow' };
    const result = await decide(input, seen);
    reportDecision(onDecision, input, seen.action, result, startedAt);
    return result;
  }

  async function decide(
    input: GateCheckInput,
    seen: { action: 'allow' | 'deny' | 'require' } | undefined,
  ): Promise<GateDecision> {
    let decision: PolicyDecision;
    let requiredByCaller = false;
    // A central policy loads once at start; after that this is an already-settled promise.
    if (policy.ready !== undefined) await policy.ready;
    try {
      decision = evaluate(input);
    } catch (error) {
      return denyForError(error, {});
    }
    if (decision.action === 'allow') {
      const required = input.requireApproval;
      if (required === undefined || required === false) {
        return allowWithoutAsking(input, decision.rule);
      }
      try {
        decision = callerRequire(policy, decision, required);
        requiredByCaller = true;
      } catch (error) {
        return denyForError(error, decision.rule === undefined ? {} : { rule: decision.rule });
      }
    }
    const rule = decision.rule;
    if (seen) seen.action = decision.action;
    if (decision.action === 'deny') {
      return {
        outcome: 'deny',
        reason: 'policy',
        message: decision.message ?? gateMessages.policy(input.toolName, rule),
        ...(rule === undefined ? {} : { rule }),
      };
    }
    let fingerprintValue: string;
    try {
      fingerprintValue = fingerprint(input.toolName, input.args);
    } catch (error) {
      return denyForError(error, rule === undefined ? {} : { rule });
    }
    const runId = input.runId;
    const remembered = runId === undefined ? undefined : rejections.get(runId, fingerprintValue);
    if (remembered) return { ...remembered };
    const result = await inGateSpan(input, () =>
      ask(input, decision, fingerprintValue, requiredByCaller),
    );
    // A rejection of a re-asked edit is about the edited call, not this one.
    if (
      runId !== undefined &&
      result.outcome === 'deny' &&
      result.reason === 'rejected' &&
      result.reaskedFrom === undefined
    ) {
      rejections.set(runId, fingerprintValue, { ...result, message: rememberedMessage(result) });
    }
    return result;
  }

  async function ask(
    input: GateCheckInput,
    decision: PolicyDecision,
    fingerprintValue: string,
    requiredByCaller: boolean,
    reaskOf?: string,
  ): Promise<GateDecision> {
    const rule = decision.rule;
    const approval = decision.approval ?? DEFAULT_APPROVAL;
    const signal = input.signal;
    let requestId: string | undefined;
    try {
      signal?.throwIfAborted();
      service ??= await defaultService();
      const idempotencyKey = idempotencyKeyFor(input, fingerprintValue);
      const body = buildCreateBody(input, approval, rule, {
        requiredByCaller,
        reaskOf,
        policy,
      });
      let request = checked(
        await service.create(body, {
          ...(idempotencyKey ? { idempotencyKey } : {}),
          ...(signal ? { signal } : {}),
        }),
        input.toolName,
        fingerprintValue,
      );
      requestId = request.id;
      if (request.status === 'pending') {
        const timeoutMs = input.waitTimeoutMs ?? options.defaultWaitTimeoutMs;
        request = checked(
          await service.wait(request.id, {
            ...(timeoutMs === undefined ? {} : { timeoutMs }),
            ...(signal ? { signal } : {}),
          }),
          input.toolName,
          fingerprintValue,
          request.id,
        );
        if (request.status === 'pending') {
          if (timeoutMs === undefined) {
            throw new InvalidResponseError({
              message: `wait returned request ${request.id} while still pending`,
            });
          }
          return {
            outcome: 'pending',
            requestId: request.id,
            message: gateMessages.pending(request.id),
            request,
          };
        }
      }
      const resolved = await resolveRequest(request, {
        input,
        fingerprint: fingerprintValue,
        rule,
        onTimeout: approval.onTimeout,
        policy,
      });
      if (resolved.outcome !== 'reask') return resolved;
      if (reaskOf !== undefined) return escapedAgain(resolved, reaskOf);
      return await askAgain(input, resolved, (edited, moved, movedFingerprint, firstId) =>
        ask(edited, moved, movedFingerprint, false, firstId),
      );
    } catch (error) {
      return denyForError(error, {
        ...(requestId === undefined ? {} : { requestId }),
        ...(rule === undefined ? {} : { rule }),
        ...(signal ? { signal } : {}),
      });
    }
  }

  async function report(
    decision: GateAllow,
    state: ExecutionReportState,
    details: ExecutionReportDetails = {},
  ): Promise<void> {
    if (decision?.outcome !== 'allow' || !isReportable(decision)) return;
    if (state === 'executing') service ??= await defaultService();
    if (!service) return;
    await sendExecutionReport(service, decision, state, details);
  }

  return { check, evaluate, policy, report };
}

/**
 * The allow path: no network, no disk, no hashing. The fingerprint is computed on first read,
 * because most callers of an allowed call never look at it (it costs more than the whole check).
 * Reading it throws a `validation_failed` error only for arguments that are not plain JSON.
 */
function allowWithoutAsking(input: GateCheckInput, rule: string | undefined): GateAllow {
  const { toolName, args } = input;
  let memo: string | undefined;
  const decision: GateAllow = {
    outcome: 'allow',
    args,
    edited: false,
    get fingerprint() {
      memo ??= fingerprint(toolName, args);
      return memo;
    },
  };
  if (rule !== undefined) decision.rule = rule;
  return decision;
}

/** Refuses anything that is not the request the gate asked about. */
function checked(
  value: unknown,
  toolName: string,
  fingerprintValue: string,
  expectedId?: string,
): ApprovalRequest {
  const parsed = approvalRequestSchema.safeParse(value);
  if (!parsed.success) {
    throw new InvalidResponseError({
      message: 'the approval service sent a malformed request',
      cause: parsed.error,
    });
  }
  const request = parsed.data;
  const sameCall =
    request.tool?.name === toolName &&
    (request.fingerprint === undefined || request.fingerprint === fingerprintValue) &&
    (expectedId === undefined || request.id === expectedId);
  if (!sameCall) {
    throw new InvalidResponseError({ message: `request ${request.id} is not about this call` });
  }
  return request;
}

function rememberedMessage(deny: GateDeny): string {
  return gateMessages.rejectedBefore(deny.rejectionReason ?? 'no reason given');
}
