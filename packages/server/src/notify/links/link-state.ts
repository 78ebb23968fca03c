import type { ApprovalRequest } from '@countersign/core/protocol';
import type { ServiceContext } from '../../service/service-context.js';
import type { UserRecord } from '../../store/store-types.js';
import type { Notifier } from '../notifier.js';
import { standing } from '../request-facts.js';
import { type DecisionTokenClaims, verifyDecisionToken } from './decision-token.js';

/** A link that may decide now. */
export interface UsableLink {
  claims: DecisionTokenClaims;
  request: ApprovalRequest;
  user: UserRecord;
}

/** A link that may not, with the page that says why. */
export interface RefusedLink {
  status: 400 | 403 | 404 | 409 | 410;
  title: string;
  text: string;
  requestId?: string;
}

const refused = (
  status: RefusedLink['status'],
  title: string,
  text: string,
  requestId?: string,
): RefusedLink => ({ status, title, text, ...(requestId ? { requestId } : {}) });

/**
 * Reads what a decision link stands for and whether it still may decide: signed by this server,
 * not expired, unused, its recipient active, the request pending, and nothing that matters
 * changed since it was sent (the arguments, or an edit of the request; reminders, escalations and
 * other approvals do not make it stale). Reads only: a GET that runs this decides nothing.
 */
export async function readLink(
  context: ServiceContext,
  notifier: Notifier,
  token: string,
): Promise<UsableLink | RefusedLink> {
  const now = context.clock.now();
  return context.store.transaction(async (tx) => {
    const verified = verifyDecisionToken(await notifier.linkSecret(tx), token, now);
    if ('problem' in verified) {
      if (verified.problem === 'expired') {
        return refused(
          410,
          'This link has expired',
          'The request’s deadline has passed, so this link no longer decides.',
        );
      }
      return refused(
        400,
        'This link is not valid',
        'It was not issued by this Countersign server, or it was changed on the way. Open the request in the dashboard instead.',
      );
    }
    const { claims } = verified;
    if (await tx.linkUsedAt(claims.nonce)) {
      return refused(
        409,
        'This link was already used',
        'Each decision link works once. Open the request in the dashboard to see where it stands.',
        claims.requestId,
      );
    }
    const request = await tx.getRequest(claims.requestId);
    if (!request)
      return refused(404, 'No such request', 'The request this link is for no longer exists.');
    const user = await tx.getUser(claims.user);
    if (!user?.active) {
      return refused(
        403,
        'You may not decide this',
        `The user ${claims.user} is not an active reviewer.`,
        request.id,
      );
    }
    if (request.status !== 'pending') {
      return refused(409, 'Already decided', `This request is ${standing(request)}.`, request.id);
    }
    if (claims.version > request.version) {
      return refused(
        400,
        'This link is not valid',
        'It names a version of the request that never existed.',
        request.id,
      );
    }
    const edited = (await tx.listEvents(0, request.id, 1000)).some(
      (event) => event.type === 'updated' && event.version > claims.version,
    );
    if (edited || claims.fingerprint !== request.fingerprint) {
      return refused(
        409,
        'This request changed',
        'It was changed after this link was sent. Use the link in the latest message about it, or open it in the dashboard.',
        request.id,
      );
    }
    return { claims, request, user };
  });
}
