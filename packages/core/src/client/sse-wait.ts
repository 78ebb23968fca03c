import {
  type CountersignError,
  InvalidResponseError,
  ServiceUnavailableError,
} from '../errors/index.js';
import {
  type ApprovalRequest,
  isTerminalStatus,
  type RequestEvent,
  requestEventSchema,
} from '../protocol/index.js';
import { SseParser } from '../protocol/sse-parser.js';
import { abortedError, sleep } from './abort.js';
import type { OpenResponse } from './http-transport.js';
import { bodyExcerpt, errorForStatus } from './response-errors.js';
import { backoffDelay, isRetryableStatus, parseRetryAfter } from './retry-policy.js';
import { requestPath, type SseUnsupported, type WaitContext } from './wait-context.js';

/** Statuses that mean "this server has no event stream here": fall back to long-polling. */
const UNSUPPORTED_STATUSES = new Set([404, 405, 406, 501]);

type StreamEnd = { terminal: ApprovalRequest } | { dropped: unknown; receivedData: boolean };

function parseEvent(id: string, data: string): RequestEvent {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch (cause) {
    throw new InvalidResponseError({
      message: 'Countersign sent an event whose data is not JSON',
      cause,
      details: { data: bodyExcerpt(data) },
    });
  }
  const parsed = requestEventSchema.safeParse(json);
  if (!parsed.success || parsed.data.requestId !== id || parsed.data.request.id !== id) {
    throw new InvalidResponseError({
      message: `Countersign sent an event that is not a valid event of request ${id}`,
      cause: parsed.error,
      details: { data: bodyExcerpt(data) },
    });
  }
  return parsed.data;
}

async function readStream(
  context: WaitContext,
  response: OpenResponse,
  parser: SseParser,
): Promise<StreamEnd> {
  const decoder = new TextDecoder();
  let receivedData = false;
  // Errors of our own (a bad event, a throwing onEvent) end the wait; only stream errors reconnect.
  let ownError: { error: unknown } | undefined;
  const handle = (data: string): ApprovalRequest | undefined => {
    try {
      const event = parseEvent(context.id, data);
      context.onEvent?.(event);
      context.remember(event.request);
      return isTerminalStatus(event.request.status) ? event.request : undefined;
    } catch (error) {
      ownError = { error };
      throw error;
    }
  };
  try {
    for await (const chunk of response.body) {
      receivedData = true;
      for (const message of parser.push(decoder.decode(chunk as Uint8Array, { stream: true }))) {
        const terminal = handle(message.data);
        if (terminal) return { terminal };
      }
    }
    return { dropped: new Error('The event stream ended'), receivedData };
  } catch (error) {
    if (ownError) throw ownError.error;
    if (context.signal.aborted) throw abortedError(context.signal);
    return { dropped: error, receivedData };
  } finally {
    response.body.destroy();
  }
}

/**
 * Waits on `GET /v1/requests/:id/events` until an event shows the request terminal. After every
 * (re)connection it first reads the request, so a decision made before the stream opened or while
 * it was down is never missed; reconnects carry `Last-Event-ID` and back off. Returns
 * {@link SseUnsupported} when the server has no usable stream; rejects when failures outlast the
 * retry budget.
 */
export async function waitWithSse(context: WaitContext): Promise<ApprovalRequest | SseUnsupported> {
  const { transport, signal } = context;
  const { retry, requestTimeoutMs, sseIdleTimeoutMs } = transport.options;
  let lastEventId = '';
  let serverRetryMs: number | undefined;
  let failures = 0;
  let lastError: CountersignError | undefined;
  let retryAfterMs: number | undefined;
  for (;;) {
    if (failures > 0) {
      if (failures > retry.maxRetries && lastError) throw lastError;
      const backoff = backoffDelay(failures - 1, retry, retryAfterMs);
      await sleep(Math.max(backoff, Math.min(serverRetryMs ?? 0, retry.maxDelayMs)), signal);
    }
    const opened = await transport.open({
      method: 'GET',
      path: requestPath(context.id, '/events'),
      headers: {
        accept: 'text/event-stream',
        'cache-control': 'no-cache',
        ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
      },
      signal,
      timeoutMs: requestTimeoutMs,
      bodyTimeoutMs: sseIdleTimeoutMs,
    });
    if ('error' in opened) {
      failures += 1;
      ({ error: lastError, retryAfterMs } = opened);
      continue;
    }
    const contentType = String(opened.headers['content-type'] ?? '');
    const isStream = /^text\/event-stream\b/i.test(contentType);
    if (opened.status !== 200 || !isStream) {
      const text = await opened.body.text().catch(() => '');
      if (UNSUPPORTED_STATUSES.has(opened.status) || (opened.status < 300 && !isStream)) {
        const reason =
          opened.status < 300
            ? new InvalidResponseError({
                message: `Countersign answered the event stream with content type "${contentType}"`,
                details: { status: opened.status, body: bodyExcerpt(text) },
              })
            : errorForStatus(opened.status, text);
        return { unsupported: true, reason };
      }
      const error = errorForStatus(opened.status, text);
      if (!isRetryableStatus(opened.status)) throw error;
      failures += 1;
      lastError = error;
      retryAfterMs = parseRetryAfter(opened.headers['retry-after']);
      continue;
    }
    let current: ApprovalRequest;
    try {
      current = await context.get(signal);
      context.remember(current);
    } catch (error) {
      opened.body.destroy();
      throw error;
    }
    if (isTerminalStatus(current.status)) {
      opened.body.destroy();
      return current;
    }
    const parser = new SseParser();
    const end = await readStream(context, opened, parser);
    if ('terminal' in end) return end.terminal;
    lastEventId = parser.lastEventId || lastEventId;
    serverRetryMs = parser.retryMs ?? serverRetryMs;
    failures = end.receivedData ? 1 : failures + 1;
    lastError = new ServiceUnavailableError({
      message: 'The Countersign event stream dropped',
      cause: end.dropped,
    });
    retryAfterMs = undefined;
  }
}
