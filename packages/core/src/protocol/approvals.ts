import type { Decision } from './request.js';
import type { JsonObject } from './schemas.js';

/** The parts of a request the approval rules read. */
export interface DecidedRequest {
  tool?: { name: string; args: JsonObject } | undefined;
  decisions: readonly Decision[];
}

/** The arguments that currently stand: the latest edit's, else the original tool call's. */
export function standingArgs(request: DecidedRequest): JsonObject | undefined {
  const edit = request.decisions.findLast((decision) => decision.outcome === 'edit');
  return edit?.args ?? request.tool?.args;
}

/**
 * The distinct principals, in decision order, whose approval (`approve` or `edit`) is bound to
 * `boundTo`: only approvals of the same arguments count towards a quorum.
 */
export function approversOf(decisions: readonly Decision[], boundTo: string | undefined): string[] {
  const approvals = decisions.filter(
    (decision) =>
      (decision.outcome === 'approve' || decision.outcome === 'edit') &&
      decision.fingerprint === boundTo,
  );
  return [...new Set(approvals.map((decision) => decision.principal))];
}
