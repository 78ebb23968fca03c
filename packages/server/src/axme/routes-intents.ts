import type { ApprovalRequest } from '@countersign/core/protocol';
import { Hono } from 'hono';
import type { AppEnv } from '../http/auth-middleware.js';
import type { LongLivedServices } from '../http/long-lived-plan.js';
import { readJson, readQuery } from '../http/read-input.js';
import { idempotencyKeyOf } from '../http/routes-requests.js';
import { respondWithSse } from '../http/sse-sink.js';
import { createRequest } from '../service/create-request.js';
import { fail } from '../service/failures.js';
import type { ServiceContext } from '../service/service-context.js';
import {
  createIntentSchema,
  eventsQuerySchema,
  resolveIntentSchema,
  resumeIntentSchema,
  streamQuerySchema,
} from './axme-schemas.js';
import { loadIntent, requestEvents } from './intent-access.js';
import { intentControlRoutes } from './intent-controls.js';
import { requestBodyFor } from './intent-create.js';
import { type IntentEvent, numberEvents } from './intent-events.js';
import { applyWithGeneration } from './intent-generation.js';
import { isAgentIntent } from './intent-metadata.js';
import { decideHumanTask, resolveIntent } from './intent-resolution.js';
import { openIntentStream } from './intent-stream.js';
import { intentIdOf, intentStatusOf, intentView } from './intent-view.js';

async function intentEvents(context: ServiceContext, request: ApprovalRequest) {
  return numberEvents(await requestEvents(context, request.id), 1).events;
}

function withoutSource({ countersign_event_id: _, ...event }: IntentEvent) {
  return event;
}

/** `/v1/intents…`: create, read, events (JSON and SSE), resolve, resume, controls and policy. */
export function intentRoutes(services: LongLivedServices): Hono<AppEnv> {
  const { context } = services;
  const app = new Hono<AppEnv>();
  const load = (principal: AppEnv['Variables']['principal'], id: string) =>
    context.store.read((tx) => loadIntent(tx, principal, id));

  app.post('/', async (c) => {
    const body = await readJson(c, createIntentSchema);
    const key = idempotencyKeyOf(c);
    const create = requestBodyFor(body, context.clock.now());
    const { request } = await createRequest(context, c.get('principal'), create, {
      ...(key === undefined ? {} : { idempotencyKey: key }),
      idempotencyBody: { axme: body },
    });
    return c.json({
      ok: true,
      intent_id: intentIdOf(request),
      status: intentStatusOf(request),
      created_at: request.createdAt,
    });
  });

  app.get('/:id', async (c) => {
    const request = await load(c.get('principal'), c.req.param('id'));
    const events = await requestEvents(context, request.id);
    const reminders = events.filter((event) => event.type === 'reminded').length;
    return c.json({ ok: true, intent: intentView(request, reminders) });
  });

  app.get('/:id/events', async (c) => {
    const { since = 0 } = readQuery(c, eventsQuerySchema);
    const request = await load(c.get('principal'), c.req.param('id'));
    const events = await intentEvents(context, request);
    return c.json({ ok: true, events: events.filter((event) => event.seq > since) });
  });

  app.get('/:id/events/stream', async (c) => {
    const query = readQuery(c, streamQuerySchema);
    const resume = Number(c.req.header('last-event-id'));
    const since = Number.isSafeInteger(resume) && resume > query.since ? resume : query.since;
    const principal = c.get('principal');
    const request = await load(principal, c.req.param('id'));
    const body = openIntentStream(services, principal, {
      request,
      since,
      windowMs: query.wait_seconds * 1000,
    });
    return respondWithSse(c, body);
  });

  app.post('/:id/resolve', async (c) => {
    const body = await readJson(c, resolveIntentSchema);
    const request = await resolveIntent(context, c.get('principal'), c.req.param('id'), body);
    const event = (await intentEvents(context, request)).at(-1) as IntentEvent;
    return c.json({
      ok: true,
      intent: intentView(request),
      event: withoutSource(event),
      completion_delivery: { delivered: false, reason: 'Countersign does not deliver to reply_to' },
    });
  });

  app.post('/:id/resume', async (c) => {
    const body = await readJson(c, resumeIntentSchema, { optional: true });
    const principal = c.get('principal');
    const request = await load(principal, c.req.param('id'));
    if (isAgentIntent(request)) {
      throw fail('unprocessable', 'An intent addressed to an agent is finished with /resolve');
    }
    return c.json(
      await applyWithGeneration(request, body.expected_policy_generation, (expectedVersion) =>
        decideHumanTask(context, principal, c.req.param('id'), {
          approve: body.approve_current_step,
          comment: body.reason,
          expectedVersion,
        }),
      ),
    );
  });

  intentControlRoutes(app, context);

  return app;
}
