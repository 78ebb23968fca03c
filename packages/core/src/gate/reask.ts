import { fingerprint } from '../fingerprint/index.js';
import type { PolicyDecision } from '../policy/policy-types.js';
import { gateMessages } from './gate-messages.js';
import type { GateCheckInput, GateDecision, GateDeny } from './gate-types.js';
import type { GateReask } from './resolve-request.js';

/** The gate's own asking, for a call under `decision`, recording `reaskOf` on the new request. */
export type AskUnder = (
  input: GateCheckInput,
  decision: PolicyDecision,
  fingerprintValue: string,
  reaskOf: string,
) => Promise<GateDecision>;

/**
 * Asks again, once, under the rule an approved edit moved the call to: a new request (its
 * idempotency key follows the edited fingerprint) with that rule's assignees, quorum and
 * deadline. The caller's description was of the original arguments, so the new request
 * describes the edited call itself.
 */
export async function askAgain(
  input: GateCheckInput,
  moved: GateReask,
  ask: AskUnder,
): Promise<GateDecision> {
  const { action: _description, ...rest } = input;
  const edited: GateCheckInput = { ...rest, args: moved.args };
  const result = await ask(
    edited,
    moved.decision,
    fingerprint(input.toolName, moved.args),
    moved.requestId,
  );
  const note = gateMessages.reasked(moved.decision.rule, moved.requestId);
  switch (result.outcome) {
    case 'allow':
      return { ...result, edited: true, reaskedFrom: moved.requestId, message: note };
    case 'deny':
      return { ...result, reaskedFrom: moved.requestId, message: `${note} ${result.message}` };
    default:
      return { ...result, message: `${note} ${result.message}` };
  }
}

/** A second edit that leaves the rule it was re-asked under is refused: asking stops here. */
export function escapedAgain(moved: GateReask, reaskOf: string): GateDeny {
  const rule = moved.decision.rule;
  return {
    outcome: 'deny',
    reason: 'policy',
    message: gateMessages.editedEscapedAgain(rule),
    requestId: moved.requestId,
    reaskedFrom: reaskOf,
    ...(rule === undefined ? {} : { rule }),
  };
}
