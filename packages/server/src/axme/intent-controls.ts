import type { ApprovalRequest } from '@countersign/core/protocol';
import type { Hono } from 'hono';
import type { AppEnv } from '../http/auth-middleware.js';
import { readJson } from '../http/read-input.js';
import { updateRequest } from '../service/change-request.js';
import { fail } from '../service/failures.js';
import type { ServiceContext } from '../service/service-context.js';
import { intentControlsSchema, intentPolicySchema } from './axme-schemas.js';
import { loadIntent } from './intent-access.js';
import { assigneeFor, reminderPlan } from './intent-create.js';
import { applyWithGeneration } from './intent-generation.js';
import { axmeMetadataOf } from './intent-metadata.js';

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

/**
 * `POST /v1/intents/{id}/controls` (deadline and reminders) and `/policy` (assignees and
 * escalation), both guarded by `expected_policy_generation`; the requester or an admin.
 */
export function intentControlRoutes(app: Hono<AppEnv>, context: ServiceContext): void {
  app.post('/:id/controls', async (c) => {
    const body = await readJson(c, intentControlsSchema);
    const principal = c.get('principal');
    const request = await context.store.read((tx) => loadIntent(tx, principal, c.req.param('id')));
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
    const request = await context.store.read((tx) => loadIntent(tx, principal, c.req.param('id')));
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
}
