import type { ApprovalRequest } from '../protocol/index.js';
import { approvalRequestSchema, isTerminalStatus } from '../protocol/index.js';
import { sleep } from './abort.js';
import { requestPath, type WaitContext } from './wait-context.js';

/** The longest poll the client asks for; the server caps it at 60 s anyway. */
export const LONG_POLL_SECONDS = 25;
/** A pending answer that came back early is abnormal; pause this long so a broken server is not hammered. */
const EARLY_ANSWER_PAUSE_MS = 100;

/**
 * Waits by long-polling `GET /v1/requests/:id/wait?timeout=S` in a loop until the request is
 * terminal. Each poll is a retried idempotent call: failures past the retry budget reject.
 */
export async function waitWithLongPoll(context: WaitContext): Promise<ApprovalRequest> {
  const { transport, signal } = context;
  for (;;) {
    const remaining = context.remainingMs();
    const seconds =
      remaining === undefined
        ? LONG_POLL_SECONDS
        : Math.min(LONG_POLL_SECONDS, Math.max(1, Math.ceil(remaining / 1000)));
    const started = Date.now();
    const request = await transport.send({
      method: 'GET',
      path: requestPath(context.id, '/wait'),
      query: { timeout: seconds },
      idempotent: true,
      schema: approvalRequestSchema,
      signal,
      timeoutMs: seconds * 1000 + transport.options.requestTimeoutMs,
    });
    context.remember(request);
    if (isTerminalStatus(request.status)) return request;
    if (Date.now() - started < (seconds * 1000) / 2) await sleep(EARLY_ANSWER_PAUSE_MS, signal);
  }
}
