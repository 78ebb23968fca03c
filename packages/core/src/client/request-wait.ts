import { CountersignError } from '../errors/index.js';
import type { ApprovalRequest } from '../protocol/index.js';
import { abortedError, throwIfAborted } from './abort.js';
import type { WaitOptions } from './client-types.js';
import type { HttpTransport } from './http-transport.js';
import { waitThroughOutages } from './outage-wait.js';
import type { WaitContext } from './wait-context.js';

/** What {@link waitForRequest} borrows from the client. */
export interface WaitDependencies {
  transport: HttpTransport;
  get(signal?: AbortSignal): Promise<ApprovalRequest>;
  /** Throws unless the request is the one waited on. */
  check(request: ApprovalRequest): ApprovalRequest;
}

/**
 * Runs a wait: SSE, then long-poll when the server has no stream (`auto`), or the one transport
 * asked for, riding out a server outage for the client's `reconnectWindowMs`. When `timeoutMs` passes, resolves with a fresh read of the request (or, if that read
 * fails, the latest state already seen).
 */
export async function waitForRequest(
  id: string,
  options: WaitOptions,
  dependencies: WaitDependencies,
): Promise<ApprovalRequest> {
  const { signal, timeoutMs, transport = 'auto', onEvent } = options;
  throwIfAborted(signal);
  if (timeoutMs !== undefined && !(timeoutMs >= 0)) {
    throw new CountersignError('validation_failed', {
      message: `wait: timeoutMs must be a number >= 0, got ${timeoutMs}`,
    });
  }
  const deadline = new AbortController();
  const endsAt = timeoutMs === undefined ? undefined : Date.now() + timeoutMs;
  const timer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(() => deadline.abort(new Error('wait timeout')), timeoutMs);
  const combined = signal ? AbortSignal.any([signal, deadline.signal]) : deadline.signal;
  let latest: ApprovalRequest | undefined;
  const context: WaitContext = {
    id,
    transport: dependencies.transport,
    signal: combined,
    get: dependencies.get,
    remember: (request) => {
      latest = dependencies.check(request);
    },
    remainingMs: () => (endsAt === undefined ? undefined : Math.max(0, endsAt - Date.now())),
    onEvent,
  };
  try {
    return await waitThroughOutages(context, {
      transport,
      reconnectWindowMs: dependencies.transport.options.reconnectWindowMs,
      latest: () => latest,
    });
  } catch (error) {
    if (signal?.aborted) throw abortedError(signal);
    if (!deadline.signal.aborted) throw error;
    try {
      return await dependencies.get(signal);
    } catch (readError) {
      if (latest && !signal?.aborted) return latest;
      throw readError;
    }
  } finally {
    clearTimeout(timer);
  }
}
