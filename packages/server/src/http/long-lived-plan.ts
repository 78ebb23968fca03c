import type { ApprovalRequest } from '@countersign/core/protocol';
import { z } from 'zod';
import type { Authenticator } from '../auth/authenticator.js';
import { mayStillSee, principalStillValid } from '../auth/live-authorization.js';
import { canSee, type Principal, type RequestAudience } from '../auth/principal.js';
import { fail, requestNotFound } from '../service/failures.js';
import { loadVisible } from '../service/request-access.js';
import type { ServiceContext } from '../service/service-context.js';
import {
  type EventVerdict,
  type KeepAlive,
  parseLastEventId,
  runEventStream,
  StreamSlot,
} from './event-stream.js';
import type { OpenWaits } from './open-waits.js';
import type { SseSink } from './sse-sink.js';
import { waitForRequest, waitQuerySchema } from './wait-core.js';

/**
 * The long-lived GET routes: `/v1/requests/:id/wait`, `/v1/requests/:id/events`, `/v1/events`.
 * Both ways in (the Node fast path and the Hono app) call {@link planLongLived}, so parsing,
 * validation, access checks and limits are defined once.
 */
export type LongLivedTarget =
  | { kind: 'wait'; id: string }
  | { kind: 'events'; id: string }
  | { kind: 'all' };

/** What serving a long-lived route needs beyond the service. */
export interface LongLivedServices {
  context: ServiceContext;
  /** Resolves callers (keys, login tokens, session cookies). */
  authenticator: Authenticator;
  keepAlive: KeepAlive;
  waits: OpenWaits;
}

/** One valid long-lived request, ready to serve on either transport. */
export type LongLivedPlan =
  | {
      kind: 'wait';
      run(onClientGone: (listener: () => void) => () => void): Promise<ApprovalRequest>;
    }
  | { kind: 'stream'; run(sink: SseSink): Promise<void> };

const eventsQuerySchema = z.looseObject({ lastEventId: z.string().optional() });

/** The query as single values; a repeated parameter is a 400 on every route. */
function singleValues(search: URLSearchParams): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [key, value] of search) {
    if (Object.hasOwn(query, key)) {
      throw fail('validation_failed', `Give the query parameter "${key}" once`, { parameter: key });
    }
    query[key] = value;
  }
  return query;
}

/** Who may read the request: the part a per-request stream keeps of its latest version. */
function audienceOf(request: ApprovalRequest): RequestAudience & { version: number } {
  return { requester: request.requester, assignees: request.assignees, version: request.version };
}

/**
 * Validates the request and takes its open-wait slot (429 over the key's cap); the caller must
 * run the plan it returns.
 */
export async function planLongLived(
  services: LongLivedServices,
  principal: Principal,
  target: LongLivedTarget,
  search: URLSearchParams,
  lastEventIdHeader: string | undefined,
): Promise<LongLivedPlan> {
  const { context, keepAlive, waits } = services;
  const query = singleValues(search);
  if (target.kind === 'wait') {
    const { timeout } = waitQuerySchema.parse(query);
    return {
      kind: 'wait',
      run: (onClientGone) =>
        waitForRequest(context, waits, principal, target.id, timeout, onClientGone),
    };
  }
  const { lastEventId: queryLastEventId } = eventsQuerySchema.parse(query);
  const lastEventId = parseLastEventId(lastEventIdHeader ?? queryLastEventId);
  let authorize: (event: { request: ApprovalRequest }) => EventVerdict;
  let afterId: number;
  let requestId: string | undefined;
  if (target.kind === 'events') {
    requestId = target.id;
    const current = await context.store.read((tx) => loadVisible(tx, principal, target.id));
    if (!current) throw requestNotFound(target.id);
    // Access follows the request as it now stands, so history replays in full while an event that
    // takes the principal off the request ends the stream before it is sent.
    let latest = audienceOf(current);
    authorize = ({ request }) => {
      if (request.version >= latest.version) latest = audienceOf(request);
      return mayStillSee(context.bus, principal, latest) ? 'send' : 'end';
    };
    afterId = lastEventId ?? 0;
  } else {
    authorize = ({ request }) => {
      if (!principalStillValid(context.bus, principal)) return 'end';
      return canSee(principal, request) ? 'send' : 'skip';
    };
    // Without Last-Event-ID the firehose starts now rather than replaying all history.
    afterId = lastEventId ?? (await context.store.read((tx) => tx.latestEventId()));
  }
  const slot = new StreamSlot();
  slot.release = waits.open(principal, slot);
  return {
    kind: 'stream',
    run: (sink) =>
      runEventStream(context, sink, {
        ...(requestId === undefined ? {} : { requestId }),
        afterId,
        authorize,
        slot,
        keepAlive,
      }),
  };
}
