import { type ApprovalRequest, isTerminalStatus } from '@countersign/core/protocol';
import { z } from 'zod';
import type { Principal } from '../auth/principal.js';
import { requestNotFound } from '../service/failures.js';
import { loadVisible } from '../service/request-access.js';
import type { ServiceContext } from '../service/service-context.js';

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

/**
 * Resolves with the request once it is terminal, or as it stands when `timeoutSeconds` pass or the
 * client goes away (`onClientGone` registers the callback and returns its removal).
 */
export async function waitForRequest(
  context: ServiceContext,
  principal: Principal,
  id: string,
  timeoutSeconds: number,
  onClientGone: (listener: () => void) => () => void,
): Promise<ApprovalRequest> {
  let settle: (request: ApprovalRequest | undefined) => void = () => undefined;
  const settled = new Promise<ApprovalRequest | undefined>((resolve) => {
    settle = resolve;
  });
  // Subscribe before reading, so a decision between the read and the wait is not missed.
  const unsubscribe = context.bus.subscribe(id, (event) => {
    if (isTerminalStatus(event.request.status)) settle(event.request);
  });
  const timer = setTimeout(() => settle(undefined), timeoutSeconds * 1000);
  const stopListening = onClientGone(() => settle(undefined));
  try {
    // Read in a helper so the waiting frame holds nothing but the subscription.
    const immediate = await answerNow(context, principal, id, timeoutSeconds);
    if (immediate) return immediate;
    const terminal = await settled;
    if (terminal) return terminal;
    const latest = await context.store.read((tx) => loadVisible(tx, principal, id));
    if (!latest) throw requestNotFound(id);
    return latest;
  } finally {
    clearTimeout(timer);
    unsubscribe();
    stopListening();
  }
}
