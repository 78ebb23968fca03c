import type { ToolApprovalStatus } from 'ai';
import type { GateDecision } from './core-types.js';

/** How a Countersign decision maps onto the SDK's approval statuses. */
export interface StatusMapping {
  /**
   * True when the tool is wrapped by `withApproval`: its `execute` checks the same request again and runs the
   * human-edited arguments (re-validated) or returns the human's answer, so edits and answers can be approved.
   */
  toolRunsEdits: boolean;
}

/**
 * Maps a gate decision to an AI SDK approval status, so the SDK's own `tool-approval-request` /
 * `tool-approval-response` parts and `execution-denied` outputs carry Countersign's decision and reason.
 *
 * The SDK can only approve or deny the call as the model made it. A human edit or answer is therefore approved
 * only for tools wrapped by `withApproval` (which run the edited arguments after re-validating them); for any other
 * tool it becomes a denial whose reason tells the model what the reviewer changed or said.
 */
export function approvalStatusFor(
  decision: GateDecision,
  mapping: StatusMapping,
): ToolApprovalStatus {
  switch (decision.outcome) {
    case 'allow': {
      if (decision.requestId === undefined) return 'not-applicable';
      if (decision.expired === true) {
        return {
          type: 'approved',
          reason: `No decision before the deadline; the policy lets this call run on timeout (Countersign request ${decision.requestId})`,
        };
      }
      const by = decision.approvedBy?.length ? ` by ${decision.approvedBy.join(', ')}` : '';
      const comment = decision.comment ? `: ${decision.comment}` : '';
      if (!decision.edited) {
        return {
          type: 'approved',
          reason: `Approved${by} (Countersign request ${decision.requestId})${comment}`,
        };
      }
      const edited = JSON.stringify(decision.args);
      if (mapping.toolRunsEdits) {
        return {
          type: 'approved',
          reason: `Approved${by} with edited arguments ${edited} (Countersign request ${decision.requestId})${comment}`,
        };
      }
      return {
        type: 'denied',
        reason:
          `A reviewer${by} changed the arguments to ${edited}; the original call was not run ` +
          `(Countersign request ${decision.requestId}). Call the tool again with those arguments if they still fit.`,
      };
    }
    case 'respond':
      if (mapping.toolRunsEdits) {
        return {
          type: 'approved',
          reason: `Answered by a reviewer (Countersign request ${decision.requestId})`,
        };
      }
      return {
        type: 'denied',
        reason: `A reviewer answered instead of running the tool: ${JSON.stringify(decision.response)}`,
      };
    case 'deny':
      return { type: 'denied', reason: decision.message };
    default:
      return {
        type: 'user-approval',
        reason: `Waiting for a decision on Countersign (request ${decision.requestId})`,
      };
  }
}
