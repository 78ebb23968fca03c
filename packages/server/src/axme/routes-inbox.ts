import type { ApprovalRequest } from '@countersign/core/protocol';
import { type Context, Hono } from 'hono';
import { type Principal, visibilityFor } from '../auth/principal.js';
import type { AppEnv } from '../http/auth-middleware.js';
import { readJson, readQuery } from '../http/read-input.js';
import { updateRequest } from '../service/change-request.js';
import { decideRequest } from '../service/decide-request.js';
import { fail } from '../service/failures.js';
import type { ServiceContext } from '../service/service-context.js';
import { requestIdOrNotFound } from './axme-ids.js';
import {
  approvalDecisionSchema,
  inboxChangesQuerySchema,
  inboxDecisionSchema,
  inboxDelegateSchema,
  inboxDeleteSchema,
  inboxQuerySchema,
  inboxReplySchema,
  threadQuerySchema,
} from './axme-schemas.js';
import { inboxOwner, isInInbox, threadView } from './inbox-thread.js';
import { loadIntent, requestEvents } from './intent-access.js';
import { assigneeFor } from './intent-create.js';
import { isAgentIntent } from './intent-metadata.js';
import { decideHumanTask } from './intent-resolution.js';
import { intentIdOf } from './intent-view.js';

const INBOX_LIMIT = 200;
const CHANGES_SCAN = 500;

/** `/v1/inbox…` and `/v1/approvals…`: a reviewer's human tasks and their decisions. */
export function inboxRoutes(context: ServiceContext): {
  inbox: Hono<AppEnv>;
  approvals: Hono<AppEnv>;
} {
  const inbox = new Hono<AppEnv>();
  const thread = async (request: ApprovalRequest, owner: string) =>
    threadView(request, owner, await requestEvents(context, request.id));
  const loadThread = async (c: Context<AppEnv>) => {
    const { owner_agent: ownerAgent } = readQuery(c, threadQuerySchema);
    const principal = c.get('principal');
    const owner = inboxOwner(principal, ownerAgent ?? c.req.header('x-owner-agent'));
    const id = c.req.param('threadId') as string;
    const request = await context.store.read((tx) => loadIntent(tx, principal, id));
    if (isAgentIntent(request)) throw fail('not_found', `No inbox thread ${id}`, { threadId: id });
    return { principal, owner, request, id };
  };
  const answer = async (c: Context<AppEnv>, approve: boolean) => {
    const body = await readJson(c, inboxDecisionSchema, { optional: true });
    const { principal, owner, id } = await loadThread(c);
    const next = await decideHumanTask(context, principal, id, { approve, comment: body.comment });
    return c.json({ ok: true, thread: await thread(next, owner) });
  };

  inbox.get('/', async (c) => {
    const query = readQuery(c, inboxQuerySchema);
    const principal = c.get('principal');
    const owner = inboxOwner(principal, query.owner_agent ?? c.req.header('x-owner-agent'));
    const page = await context.store.read((tx) =>
      tx.listRequests({
        visibility: visibilityFor(principal),
        ...(query.status && query.status !== 'done' ? { status: 'pending' as const } : {}),
        ...(owner !== principal.id ? { assignee: assigneeFor(owner) } : {}),
        limit: INBOX_LIMIT,
      }),
    );
    const threads = [];
    for (const request of page.items.filter((item) => isInInbox(principal, item))) {
      const view = await thread(request, owner);
      if (!query.status || view.status === query.status) threads.push(view);
    }
    return c.json({ ok: true, threads });
  });

  inbox.get('/changes', async (c) => {
    const query = readQuery(c, inboxChangesQuerySchema);
    const principal = c.get('principal');
    const owner = inboxOwner(principal, query.owner_agent ?? c.req.header('x-owner-agent'));
    let after = query.cursor ? Number(query.cursor.slice(3)) : 0;
    const changes = [];
    let hasMore = false;
    while (changes.length < query.limit) {
      const page = await context.store.read((tx) => tx.listEvents(after, undefined, CHANGES_SCAN));
      for (const event of page) {
        if (changes.length === query.limit) {
          hasMore = true;
          break;
        }
        after = Number(event.id);
        if (isInInbox(principal, event.request)) {
          changes.push({ cursor: `ev_${event.id}`, thread: await thread(event.request, owner) });
        }
      }
      if (hasMore || page.length < CHANGES_SCAN) break;
    }
    return c.json({
      ok: true,
      changes,
      next_cursor: after === 0 ? null : `ev_${after}`,
      has_more: hasMore,
    });
  });

  inbox.get('/:threadId', async (c) => {
    const { request, owner } = await loadThread(c);
    return c.json({ ok: true, thread: await thread(request, owner) });
  });

  inbox.post('/:threadId/approve', (c) => answer(c, true));
  inbox.post('/:threadId/reject', (c) => answer(c, false));

  inbox.post('/:threadId/reply', async (c) => {
    const body = await readJson(c, inboxReplySchema);
    const { principal, owner, request } = await loadThread(c);
    let response: unknown = body.message;
    if (request.kind === 'form') {
      try {
        response = JSON.parse(body.message);
      } catch {
        throw fail('validation_failed', 'A form task is answered with its data as a JSON message');
      }
    } else if (request.kind !== 'clarification') {
      throw fail('unprocessable', `A ${request.kind} task is answered with approve or reject`);
    }
    const next = await decideRequest(
      context,
      principal,
      request.id,
      { outcome: 'respond', response },
      'api',
    );
    return c.json({ ok: true, thread: await thread(next, owner) });
  });

  inbox.post('/:threadId/delegate', async (c) => {
    const body = await readJson(c, inboxDelegateSchema);
    const { principal, owner, request } = await loadThread(c);
    const ownIdentity = assigneeFor(owner);
    const assignees = [
      ...request.assignees.filter((assignee) => assignee !== ownIdentity),
      assigneeFor(body.delegate_to),
    ];
    const next = await updateRequest(context, principal, request.id, {
      expectedVersion: request.version,
      assignees,
    });
    return c.json({ ok: true, thread: await thread(next, owner) });
  });

  inbox.post('/:threadId/read', async (c) => {
    const { request, owner } = await loadThread(c);
    return c.json({ ok: true, thread: await thread(request, owner) });
  });

  inbox.post('/:threadId/messages/delete', async (c) => {
    const body = await readJson(c, inboxDeleteSchema);
    const { request, owner } = await loadThread(c);
    // The timeline is the audit trail: nothing in it is ever deleted.
    return c.json({
      ok: true,
      thread: await thread(request, owner),
      mode: body.mode,
      deleted_count: 0,
      message_ids: [],
    });
  });

  const approvals = new Hono<AppEnv>();
  approvals.post('/:approvalId/decision', async (c) => {
    const body = await readJson(c, approvalDecisionSchema);
    const principal: Principal = c.get('principal');
    const id = c.req.param('approvalId');
    requestIdOrNotFound(id);
    const next = await decideHumanTask(context, principal, id, {
      approve: body.decision === 'approve',
      comment: body.comment,
    });
    const decision = next.decisions.findLast((each) => each.principal === principal.id);
    return c.json({
      ok: true,
      approval: {
        approval_id: intentIdOf(next),
        decision: body.decision,
        comment: body.comment ?? null,
        decided_at: decision?.decidedAt ?? next.updatedAt,
      },
    });
  });

  return { inbox, approvals };
}
