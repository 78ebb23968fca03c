import type { ApprovalRequest, DecisionInput } from '@countersign/core/protocol';
import { fail } from '../service/failures.js';
import { axmeMetadataOf } from './intent-metadata.js';

const OUTCOME_NAMES: Record<string, string[]> = {
  approve: ['approved', 'approve'],
  edit: ['approved', 'approve'],
  reject: ['rejected', 'reject'],
};

/**
 * The AXME rules on a decision, enforced wherever it is made (AXME inbox, /v1 decisions, the
 * dashboard): an intent addressed to an agent is not decided by reviewers, `allowed_outcomes`
 * limits approve and reject, and `required_comment` needs a non-empty comment (or reason).
 */
export function assertHumanTaskRules(request: ApprovalRequest, body: DecisionInput): void {
  const axme = axmeMetadataOf(request);
  if (!axme) return;
  const task = axme.humanTask;
  if (!task) {
    throw fail(
      'forbidden',
      `Intent ${request.id} is addressed to ${axme.toAgent}, which resolves it`,
    );
  }
  const names = OUTCOME_NAMES[body.outcome];
  if (
    task.allowedOutcomes &&
    names &&
    !names.some((name) => task.allowedOutcomes?.includes(name))
  ) {
    throw fail('unprocessable', `This task allows only ${task.allowedOutcomes.join(', ')}`, {
      allowedOutcomes: task.allowedOutcomes,
    });
  }
  if (task.requiredComment && !(body.comment?.trim() || body.reason?.trim())) {
    throw fail('unprocessable', 'This task needs a comment with the decision', {
      requiredComment: true,
    });
  }
}
