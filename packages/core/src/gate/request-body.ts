import { createHash } from 'node:crypto';
import { canonicalJson } from '../fingerprint/index.js';
import type { ApprovalSpec, Policy } from '../policy/policy-types.js';
import type { CreateRequestInput, PreviewDescriptorInput } from '../protocol/index.js';
import type { GateCheckInput } from './gate-types.js';

const ACTION_MAX = 2000;

/**
 * The idempotency key of a call: SHA-256 of run id + tool call id + fingerprint, so a restarted
 * agent re-attaches to the same request. Without a tool call id there is no key: two identical
 * calls in one run are two requests, and one approval never covers both.
 */
export function idempotencyKeyFor(input: GateCheckInput, fingerprint: string): string | undefined {
  if (input.toolCallId === undefined) return undefined;
  const material = canonicalJson([input.runId ?? null, input.toolCallId, fingerprint]);
  return `cs-gate-${createHash('sha256').update(material, 'utf8').digest('hex')}`;
}

/** The text a reviewer reads when the caller gave none: the tool and its arguments. */
export function describeCall(toolName: string, args: unknown): string {
  const text = `Run ${toolName} with ${canonicalJson(args)}`;
  return text.length <= ACTION_MAX ? text : `${text.slice(0, ACTION_MAX - 1)}…`;
}

/** Why the gate asks, beyond the rule: recorded in the request's metadata. */
export interface AskReason {
  /** The policy allowed the call; the caller asked for a human. */
  requiredByCaller?: boolean;
  /** The request whose approved edit moved the call under this rule. */
  reaskOf?: string | undefined;
  /** The gate's policy: its rules for this tool travel with the request (`policy`). */
  policy?: Policy;
}

/**
 * The create body for a call the policy (or the caller, `requiredByCaller`) sent to a human.
 * Deterministic, so retries match.
 */
export function buildCreateBody(
  input: GateCheckInput,
  approval: ApprovalSpec,
  rule: string | undefined,
  { requiredByCaller = false, reaskOf, policy }: AskReason = {},
): CreateRequestInput {
  const body: CreateRequestInput = {
    action: input.action ?? describeCall(input.toolName, input.args),
    kind: approval.kind,
    quorum: approval.quorum,
    tool: {
      name: input.toolName,
      args: input.args,
      ...(input.inputSchema === undefined ? {} : { schema: input.inputSchema }),
      ...(input.annotations === undefined ? {} : { annotations: input.annotations }),
      ...previewOf(input, approval),
    },
  };
  if (input.context !== undefined) body.context = input.context;
  if (approval.assignees.length > 0) body.assignees = approval.assignees;
  if (approval.timeout !== undefined) body.timeout = approval.timeout;
  if (approval.reminders !== undefined) body.reminders = approval.reminders;
  if (approval.escalation !== undefined) body.escalation = approval.escalation;
  if (approval.notify !== undefined) body.notify = approval.notify;
  if (approval.question !== undefined) body.question = approval.question;
  if (approval.responseSchema !== undefined) body.responseSchema = approval.responseSchema;
  if (input.runId !== undefined) body.runId = input.runId;
  if (input.toolCallId !== undefined) body.toolCallId = input.toolCallId;
  // So the server can refuse an edit that lands under another rule the editor may not approve.
  const scope = policy?.scopeFor?.(input.toolName);
  if (scope) body.policy = { ...(rule === undefined ? {} : { rule }), ...scope };
  // The record says why a human was asked when the matching rule alone would have let it run.
  const origin = policy?.origin;
  if (rule !== undefined || requiredByCaller || reaskOf !== undefined || origin !== undefined) {
    body.metadata = {
      // A central policy: which one and which version asked (emergency stops of a policy find
      // its pending requests by this name).
      ...(origin === undefined ? {} : { policyName: origin.name, policyVersion: origin.version }),
      ...(rule === undefined ? {} : { policyRule: rule }),
      ...(requiredByCaller ? { requiredBy: 'caller' } : {}),
      ...(reaskOf === undefined ? {} : { reaskOf }),
    };
  }
  return body;
}

/** The rule's preview wins over the tool's own: the operator knows tools they do not own. */
function previewOf(
  input: GateCheckInput,
  approval: ApprovalSpec,
): { preview?: PreviewDescriptorInput } {
  const preview = approval.preview ?? input.preview;
  return preview === undefined ? {} : { preview };
}
