import {
  CountersignError,
  FingerprintMismatchError,
  InvalidResponseError,
} from '../errors/index.js';
import { fingerprint } from '../fingerprint/index.js';
import type { Policy, PolicyDecision } from '../policy/policy-types.js';
import type { ApprovalRequest, JsonObject } from '../protocol/index.js';
import { denyForError } from './gate-failure.js';
import { gateMessages } from './gate-messages.js';
import type { GateAllow, GateCheckInput, GateDecision, GateDeny } from './gate-types.js';

/** What the gate knows about the call whose request just ended. */
export interface ResolveContext {
  input: GateCheckInput;
  /** Fingerprint of the original call. */
  fingerprint: string;
  rule: string | undefined;
  onTimeout: 'deny' | 'allow';
  policy: Policy;
}

/**
 * An approved edit whose arguments the policy sends to another `require` rule: the approval was
 * given under the wrong rule (wrong assignees, quorum, deadline), so it does not count and the
 * gate asks again under `decision`.
 */
export interface GateReask {
  outcome: 'reask';
  /** The rule the edited call falls under. */
  decision: PolicyDecision;
  /** The edited arguments, as the tool's validator returned them. */
  args: JsonObject;
  /** The request whose approval did not count. */
  requestId: string;
}

/** Maps a terminal request to the gate's decision. Never throws. */
export async function resolveRequest(
  request: ApprovalRequest,
  context: ResolveContext,
): Promise<GateDecision | GateReask> {
  const { rule } = context;
  const requestId = request.id;
  const where = { requestId, ...(rule === undefined ? {} : { rule }) };
  const deny = (reason: GateDeny['reason'], message: string): GateDeny => ({
    outcome: 'deny',
    reason,
    message,
    ...where,
  });
  const resolution = request.resolution;
  switch (request.status) {
    case 'approved':
      try {
        return await approved(request, context);
      } catch (error) {
        return denyForError(error, where);
      }
    case 'rejected': {
      const reason = resolution?.reason ?? 'no reason given';
      return { ...deny('rejected', gateMessages.rejected(reason)), rejectionReason: reason };
    }
    case 'expired':
      if (context.onTimeout === 'allow') {
        const { input } = context;
        return allowed(input.args, false, context.fingerprint, { ...where, expired: true });
      }
      return deny('expired', gateMessages.expired());
    case 'cancelled':
      return deny('cancelled', gateMessages.cancelled());
    case 'answered':
      return {
        outcome: 'respond',
        response: resolution?.response,
        message: gateMessages.responded(),
        requestId,
        respondedBy: resolution?.by ?? [],
      };
    default:
      return denyForError(
        new InvalidResponseError({ message: `Request ${requestId} is still ${request.status}` }),
        where,
      );
  }
}

async function approved(
  request: ApprovalRequest,
  context: ResolveContext,
): Promise<GateDecision | GateReask> {
  const { input, policy, rule } = context;
  const resolution = request.resolution;
  const args: JsonObject = resolution?.args ?? input.args;
  const approvedFingerprint = resolution?.fingerprint;
  const actual = fingerprint(input.toolName, args);
  // What a human approved is what runs: the approval must name exactly these arguments.
  if (approvedFingerprint !== actual) {
    throw new FingerprintMismatchError({
      expected: approvedFingerprint ?? '(none)',
      actual,
      message: approvedFingerprint
        ? 'the approved arguments differ from the ones that would run'
        : 'the approval does not name the arguments it approved',
    });
  }
  const extras = {
    requestId: request.id,
    ...(rule === undefined ? {} : { rule }),
    approvedBy: resolution?.by ?? [],
    ...(resolution?.comment === undefined ? {} : { comment: resolution.comment }),
    ...(resolution?.grant === undefined ? {} : { grant: resolution.grant }),
  };
  if (actual === context.fingerprint) return allowed(input.args, false, actual, extras);

  try {
    await input.validateArgs?.(structuredClone(args));
  } catch (error) {
    throw refused(error instanceof Error ? error.message : String(error), error);
  }
  // What runs is the edit as approved (its fingerprint is the approval's), never a validator's
  // parsed output: defaults or transforms applied there would make it a call nobody approved.
  // Re-check the edited call: a deny still denies; the same rule (or an allow) is met by this
  // approval; another require rule needs its own approvers, so the gate asks again.
  const recheck = policy.evaluate({ ...input, args });
  if (recheck.action === 'deny') {
    return {
      outcome: 'deny',
      reason: 'policy',
      message: gateMessages.editedDenied(
        recheck.message ?? gateMessages.policy(input.toolName, recheck.rule),
      ),
      requestId: request.id,
      ...(recheck.rule === undefined ? {} : { rule: recheck.rule }),
    };
  }
  if (recheck.action === 'require' && recheck.rule !== rule) {
    return { outcome: 'reask', decision: recheck, args, requestId: request.id };
  }
  return allowed(args, true, actual, extras);
}

function refused(detail: string, cause: unknown): CountersignError {
  return new CountersignError('validation_failed', {
    message: `the edited arguments do not fit the tool's schema: ${detail}`,
    cause,
  });
}

function allowed(
  args: JsonObject,
  edited: boolean,
  fingerprintValue: string,
  extras: Omit<GateAllow, 'outcome' | 'args' | 'edited' | 'fingerprint'>,
): GateAllow {
  return { outcome: 'allow', args, edited, fingerprint: fingerprintValue, ...extras };
}
