import { standingFingerprint } from '@countersign/core/fingerprint';
import { type ApprovalRequest, CountersignError } from '@countersign/core/protocol';
import { canSee, type Principal } from '../auth/principal.js';
import { decideRequest } from '../service/decide-request.js';
import { fail, requestNotFound } from '../service/failures.js';
import { type GrantForm, grantSpecFromForm } from '../service/grant-choices.js';
import type { ServiceContext } from '../service/service-context.js';

/** A decision made with a Slack button or the reject modal. */
export interface SlackDecision {
  /** The request the message was about. */
  id: string;
  /** The fingerprint of the arguments the message showed (absent for requests without a tool). */
  fingerprint?: string | undefined;
  outcome: 'approve' | 'reject';
  reason?: string;
  /** For an approval from the grant modal: the grant it adds. */
  grant?: GrantForm;
}

const ATTEMPTS = 5;

/**
 * Decides as `principal` through the one decision service (authorization, quorum, requester never
 * approves; a grant checked as through the API), bound to what the message showed: when the
 * standing arguments are no longer the ones in the message (edited meanwhile), nothing is decided.
 * The check and the decision are tied by the version read; a concurrent change (another
 * approver's click) re-reads and tries again.
 */
export async function decideFromSlack(
  context: ServiceContext,
  principal: Principal,
  decision: SlackDecision,
): Promise<ApprovalRequest> {
  for (let attempt = 1; ; attempt += 1) {
    const current = await context.store.read((tx) => tx.getRequest(decision.id));
    if (!current || !canSee(principal, current)) throw requestNotFound(decision.id);
    if (current.status === 'pending' && standingFingerprint(current) !== decision.fingerprint) {
      throw fail(
        'conflict',
        'The arguments changed after this message was posted; open the request to see them',
        { requestId: current.id },
      );
    }
    try {
      return await decideRequest(
        context,
        principal,
        decision.id,
        {
          outcome: decision.outcome,
          ...(decision.reason ? { reason: decision.reason } : {}),
          ...(decision.grant ? { grant: grantSpecFromForm(current, decision.grant) } : {}),
          expectedVersion: current.version,
        },
        'slack',
      );
    } catch (error) {
      const raced = CountersignError.isInstance(error) && error.code === 'version_conflict';
      if (!raced || attempt >= ATTEMPTS) throw error;
    }
  }
}
