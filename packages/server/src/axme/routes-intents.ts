import type { ApprovalRequest } from '@countersign/core/protocol';
import { Hono } from 'hono';
import type { AppEnv } from '../http/auth-middleware.js';
import type { KeepAlive } from '../http/event-stream.js';
import { readJson, readQuery } from '../http/read-input.js';
import { idempotencyKeyOf } from '../http/routes-requests.js';
import { updateRequest } from '../service/change-request.js';
import { createRequest } from '../service/create-request.js';
import { fail } from '../service/failures.js';
import type { ServiceContext } from '../service/service-context.js';
import {
  createIntentSchema,
  eventsQuerySchema,
  intentControlsSchema,
  intentPolicySchema,
  resolveIntentSchema,
  resumeIntentSchema,
  streamQuerySchema,
} from './axme-schemas.js';
import { loadIntent, requestEvents } from './intent-access.js';
import { assigneeFor, reminderPlan, requestBodyFor } from './intent-create.js';
import { type IntentEvent, numberEvents } from './intent-events.js';
import { applyWithGeneration } from './intent-generation.js';
import { axmeMetadataOf, isAgentIntent } from './intent-metadata.js';
import { decideHumanTask, resolveIntent } from './intent-resolution.js';
import { streamIntentEvents } from './intent-stream.js';
import { intentIdOf, intentStatusOf, intentView } from './intent-view.js';

async function intentEvents(context: ServiceContext, request: ApprovalRequest) {
  return numberEvents(await requestEvents(context, request.id), 1).events;
}

function withoutSource({ countersign_event_id: _, ...event }: IntentEvent) {
  return event;
}

/** The new reminder times and escalation time, counted from now, for changed reminder settings. */
function reminderChange(
  request: ApprovalRequest,
  patch: Parameters<typeof reminderPlan>[0],
  now: number,
) {
  const plan = reminderPlan(patch);
  const toIso = (seconds: number) => new Date(now + seconds * 1000).toISOString();
  const escalation = request.escalation;
  return {
    reminders: plan.reminders.map(toIso),
    ...(escalation && !escalation.fired && plan.escalateAfter !== undefined
      ? {
          escalation: {
            at: toIso(plan.escalateAfter),
            assignees: escalation.assignees,
            mode: escalation.mode,
          },
        }
      : {}),
  };
}

/** `/v1/intents…`: create, read, events (JSON and SSE), resolve, resume, controls and policy. */
export function intentRoutes(context: ServiceContext, keepAlive: KeepAlive): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const load = (principal: AppEnv['Variables']['principal'], id: string) =>
    context.store.read((tx) => loadIntent(tx, principal, id));

  app.post('/', async (c) => {
    const body = await readJson(c, createIntentSchema);
    const key = idempotencyKeyOf(c);
    const create = requestBodyFor(body, context.clock.now());
    const { request } = await createRequest(
      context,
      c.get('principal'),
      create,
      key,
      'callbackUrl',
      {
        axme: body,
      },
    );
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
    const request = await load(c.get('principal'), c.req.param('id'));
    return streamIntentEvents(c, context, keepAlive, {
      request,
      since,
      windowMs: query.wait_seconds * 1000,
    });
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

  app.post('/:id/controls', async (c) => {
    const body = await readJson(c, intentControlsSchema);
    const principal = c.get('principal');
    const request = await load(principal, c.req.param('id'));
    const { deadline_at: deadline, ...reminders } = body.controls_patch;
    const axme = axmeMetadataOf(request);
    const settings = {
      remind_after_seconds: reminders.remind_after_seconds ?? axme?.remindAfterSeconds,
      remind_interval_seconds: reminders.remind_interval_seconds ?? axme?.remindIntervalSeconds,
      max_reminders: reminders.max_reminders ?? axme?.maxReminders,
    };
    const remindersChanged = Object.keys(reminders).length > 0;
    if (deadline === undefined && !remindersChanged) {
      throw fail('validation_failed', 'controls_patch changes nothing');
    }
    return c.json(
      await applyWithGeneration(request, body.expected_policy_generation, (expectedVersion) =>
        updateRequest(context, principal, request.id, {
          expectedVersion,
          ...(deadline === undefined ? {} : { deadline }),
          ...(remindersChanged ? reminderChange(request, settings, context.clock.now()) : {}),
        }),
      ),
    );
  });

  app.post('/:id/policy', async (c) => {
    const body = await readJson(c, intentPolicySchema);
    const principal = c.get('principal');
    const request = await load(principal, c.req.param('id'));
    const escalateTo = body.envelope_patch?.escalate_to;
    if (!body.grants_patch && escalateTo === undefined) {
      throw fail('validation_failed', 'Give grants_patch.assignees or envelope_patch.escalate_to');
    }
    if (typeof escalateTo === 'string' && !request.escalation) {
      throw fail(
        'unprocessable',
        'The intent has no escalation time: create it with remind_after_seconds',
      );
    }
    const escalation =
      escalateTo === undefined
        ? {}
        : {
            escalation:
              escalateTo === null || !request.escalation
                ? null
                : {
                    at: request.escalation.at,
                    assignees: [assigneeFor(escalateTo)],
                    mode: request.escalation.mode,
                  },
          };
    return c.json(
      await applyWithGeneration(request, body.expected_policy_generation, (expectedVersion) =>
        updateRequest(context, principal, request.id, {
          expectedVersion,
          ...(body.grants_patch ? { assignees: body.grants_patch.assignees.map(assigneeFor) } : {}),
          ...escalation,
        }),
      ),
    );
  });

  return app;
}
