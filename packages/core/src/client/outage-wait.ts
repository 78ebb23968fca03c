import { CountersignError, ServiceUnavailableError } from '../errors/index.js';
import type { ApprovalRequest } from '../protocol/index.js';
import { sleep } from './abort.js';
import type { WaitOptions } from './client-types.js';
import { waitWithLongPoll } from './long-poll-wait.js';
import { backoffDelay } from './retry-policy.js';
import { waitWithSse } from './sse-wait.js';
import type { WaitContext } from './wait-context.js';

/** What {@link waitThroughOutages} needs beyond the wait context. */
export interface OutageWaitOptions {
  transport: NonNullable<WaitOptions['transport']>;
  /** How long an outage may last before the wait fails closed. */
  reconnectWindowMs: number;
  /** The latest state of the request seen, for its deadline. */
  latest(): ApprovalRequest | undefined;
}

/**
 * Runs the wait strategies (SSE, then long-poll when the server has no stream, or the one asked
 * for) and rides out an outage: when a strategy gives up on an unreachable or failing server, the
 * wait reconnects with backoff and jitter (in `auto`, by long-polling, the simpler transport)
 * until `reconnectWindowMs` has passed since the strategies first gave up, or the request's
 * deadline, whichever comes first. Any answer from the server ends the outage. A restart or a
 * rolling deploy is then invisible to the caller; only a server gone for longer rejects, with a
 * `service_unavailable` error whose details say how long it was away.
 */
export async function waitThroughOutages(
  context: WaitContext,
  options: OutageWaitOptions,
): Promise<ApprovalRequest> {
  const { retry } = context.transport.options;
  let useSse = options.transport !== 'long-poll';
  let outage: { since: number; attempts: number; seen: ApprovalRequest | undefined } | undefined;
  for (;;) {
    try {
      if (useSse) {
        const result = await waitWithSse(context);
        if (!('unsupported' in result)) return result;
        if (options.transport === 'sse') throw result.reason;
        useSse = false;
      }
      return await waitWithLongPoll(context);
    } catch (error) {
      if (!CountersignError.hasCode(error, 'service_unavailable') || context.signal.aborted) {
        throw error;
      }
      const now = Date.now();
      const latest = options.latest();
      // A fresh state since the last failure means the server answered: a new outage starts.
      if (!outage || outage.seen !== latest) outage = { since: now, attempts: 0, seen: latest };
      const deadline = latest?.deadline === undefined ? Infinity : Date.parse(latest.deadline);
      const endsAt = Math.min(outage.since + options.reconnectWindowMs, deadline);
      if (now >= endsAt) throw gaveUp(context.id, error, now - outage.since, options);
      if (options.transport === 'auto') useSse = false;
      const delay = backoffDelay(outage.attempts, retry);
      outage.attempts += 1;
      await sleep(Math.min(delay, endsAt - now), context.signal);
    }
  }
}

function gaveUp(
  id: string,
  cause: unknown,
  downForMs: number,
  options: OutageWaitOptions,
): ServiceUnavailableError {
  const seconds = Math.round(downForMs / 1000);
  return new ServiceUnavailableError({
    message: `Countersign could not be reached for ${seconds} s while waiting on request ${id}; the wait gave up (reconnectWindowMs ${options.reconnectWindowMs})`,
    cause,
    details: { requestId: id, downForMs, reconnectWindowMs: options.reconnectWindowMs },
  });
}
