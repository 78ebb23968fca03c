import { type ApprovalRequest, isTerminalStatus } from '@countersign/core/protocol';
import { z } from 'zod';
import { principalStillValid } from '../auth/live-authorization.js';
import { canSee, type Principal } from '../auth/principal.js';
import { fail, requestNotFound } from '../service/failures.js';
import { loadVisible } from '../service/request-access.js';
import type { ServiceContext } from '../service/service-context.js';
import type { OpenWaits } from './open-waits.js';

/** The longest a long-poll may hold, in seconds. */
export const MAX_WAIT_SECONDS = 60;

/** The query of `GET /v1/requests/:id/wait`. */
export const waitQuerySchema = z.strictObject({
  timeout: z.coerce
    .number()
    .min(0)
    .max(MAX_WAIT_SECONDS)
    .default(25)
    .describe('Seconds to wait for a final status before answering with the request as it is'),
});

/** How a long-poll ends: with the terminal request, at the timeout, or because access ended. */
type WaitOutcome = { request: ApprovalRequest } | 'timeout' | 'revoked' | 'hidden';

/** The request when it can be answered at once (terminal, or no wait asked); 404 when unseen. */
async function answerNow(
  context: ServiceContext,
  principal: Principal,
  id: string,
  timeout: number,
): Promise<ApprovalRequest | undefined> {
  const current = await context.store.read((tx) => loadVisible(tx, principal, id));
  if (!current) throw requestNotFound(id);
  return isTerminalStatus(current.status) || timeout === 0 ? current : undefined;
}

/** The answer once the wait is over: never a request the principal may no longer see. */
async function answerAfter(
  context: ServiceContext,
  principal: Principal,
  id: string,
  outcome: WaitOutcome,
): Promise<ApprovalRequest> {
  if (outcome === 'revoked' || !principalStillValid(context.bus, principal)) {
    throw fail('unauthorized', 'The API key was revoked');
  }
  if (outcome === 'hidden') throw requestNotFound(id);
  if (outcome !== 'timeout') return outcome.request;
  const latest = await context.store.read((tx) => loadVisible(tx, principal, id));
  if (!latest) throw requestNotFound(id);
  return latest;
}

/**
 * Resolves with the request once it is terminal, or as it stands when `timeoutSeconds` pass or the
 * client goes away (`onClientGone` registers the callback and returns its removal). Every event
 * re-checks access: a revoked key answers 401, a request the principal was taken off 404.
 */
export async function waitForRequest(
  context: ServiceContext,
  waits: OpenWaits,
  principal: Principal,
  id: string,
  timeoutSeconds: number,
  onClientGone: (listener: () => void) => () => void,
): Promise<ApprovalRequest> {
  let settle: (outcome: WaitOutcome) => void = () => undefined;
  const settled = new Promise<WaitOutcome>((resolve) => {
    settle = resolve;
  });
  const release = waits.open(principal, { end: () => settle('revoked') });
  // Subscribe before reading, so a decision between the read and the wait is not missed.
  const unsubscribe = context.bus.subscribe(id, (event) => {
    if (!principalStillValid(context.bus, principal)) settle('revoked');
    else if (!canSee(principal, event.request)) settle('hidden');
    else if (isTerminalStatus(event.request.status)) settle({ request: event.request });
  });
  const timer = setTimeout(() => settle('timeout'), timeoutSeconds * 1000);
  const stopListening = onClientGone(() => settle('timeout'));
  try {
    // Read in a helper so the waiting frame holds nothing but the subscription.
    const immediate = await answerNow(context, principal, id, timeoutSeconds);
    if (immediate) return immediate;
    return await answerAfter(context, principal, id, await settled);
  } finally {
    clearTimeout(timer);
    unsubscribe();
    stopListening();
    release();
  }
}
