// The value lists of the wire protocol, without zod: the dashboard and other browser code import
// these (through `@countersign/core/protocol`) without bundling the schemas.

/** What the human is asked for: approve a call, review it, fill in a form, answer a question. */
export const REQUEST_KINDS = ['approval', 'review', 'form', 'clarification'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

/** Where a request stands. `expired` and `cancelled` are never a rejection. */
export const REQUEST_STATUSES = [
  'pending',
  'approved',
  'rejected',
  'answered',
  'expired',
  'cancelled',
] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** Statuses after which nothing changes any more. */
export const TERMINAL_STATUSES: readonly RequestStatus[] = [
  'approved',
  'rejected',
  'answered',
  'expired',
  'cancelled',
];

/** True once a request can no longer change. */
export function isTerminalStatus(status: RequestStatus): boolean {
  return status !== 'pending';
}

/** What a human decides. */
export const DECISION_OUTCOMES = ['approve', 'reject', 'edit', 'respond'] as const;
export type DecisionOutcome = (typeof DECISION_OUTCOMES)[number];

/** What happened to a request: the `type` of an event and the SSE `event:` field. */
export const REQUEST_EVENT_TYPES = [
  'created',
  'updated',
  'reminded',
  'escalated',
  'decided',
  'expired',
  'cancelled',
  'execution',
] as const;
export type RequestEventType = (typeof REQUEST_EVENT_TYPES)[number];

/** Whom a grant covers: the run it came from, the agent that asked, or any agent. */
export const GRANT_APPLIES_TO = ['run', 'agent', 'any'] as const;
export type GrantAppliesTo = (typeof GRANT_APPLIES_TO)[number];

/**
 * How a grant's `appliesTo` reads to a reviewer choosing it, the same on every channel (dashboard,
 * Slack modal, email decision page); `requester` is the agent of the request being approved.
 */
export function grantAppliesToLabel(appliesTo: GrantAppliesTo, requester: string): string {
  switch (appliesTo) {
    case 'agent':
      return `This agent (${requester})`;
    case 'run':
      return 'This run only';
    case 'any':
      return 'Any agent';
  }
}

/** Where a grant stands: usable, past its lifetime, out of uses, or revoked. */
export const GRANT_STATUSES = ['active', 'expired', 'exhausted', 'revoked'] as const;
export type GrantStatus = (typeof GRANT_STATUSES)[number];
/**
 * What the agent reported about running an approved call: `executing` just before it, then
 * `succeeded` or `failed`. A call reported `executing` is never handed out again.
 */
export const EXECUTION_STATES = ['executing', 'succeeded', 'failed'] as const;
export type ExecutionState = (typeof EXECUTION_STATES)[number];
