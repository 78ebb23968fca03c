import { z } from 'zod';
import {
  approvalDecisionSchema,
  createIntentSchema,
  inboxDecisionSchema,
  inboxDelegateSchema,
  inboxDeleteSchema,
  inboxReplySchema,
  intentControlsSchema,
  intentPolicySchema,
  resolveIntentSchema,
  resumeIntentSchema,
} from './axme-schemas.js';

const BODIES = {
  AxmeCreateIntent: createIntentSchema,
  AxmeResolveIntent: resolveIntentSchema,
  AxmeResumeIntent: resumeIntentSchema,
  AxmeIntentControls: intentControlsSchema,
  AxmeIntentPolicy: intentPolicySchema,
  AxmeInboxDecision: inboxDecisionSchema,
  AxmeInboxReply: inboxReplySchema,
  AxmeInboxDelegate: inboxDelegateSchema,
  AxmeInboxDelete: inboxDeleteSchema,
  AxmeApprovalDecision: approvalDecisionSchema,
} as const;

const security = [{ axmeApiKey: [] }, { bearer: [] }];
const idParameter = (name: string) => ({
  name,
  in: 'path',
  required: true,
  schema: { type: 'string', format: 'uuid' },
});
const query = (name: string, schema: Record<string, unknown>) => ({ name, in: 'query', schema });
const reply = (description: string) => ({
  '200': { description, content: { 'application/json': { schema: { type: 'object' } } } },
  '4XX': { description: 'AXME error body: { error: { code, message, details }, detail }' },
});

function operation(summary: string, body?: keyof typeof BODIES, parameters: unknown[] = []) {
  return {
    summary,
    tags: ['AXME-compatible'],
    security,
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(body
      ? {
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: { $ref: `#/components/schemas/${body}` } },
            },
          },
        }
      : {}),
    responses: reply('OK (AXME response shape)'),
  };
}

/** The AXME-compatible routes for /openapi.json: their body schemas and paths. */
export function axmeOpenApi(): {
  schemas: Record<string, unknown>;
  paths: Record<string, unknown>;
  securitySchemes: Record<string, unknown>;
} {
  const schemas = Object.fromEntries(
    Object.entries(BODIES).map(([name, schema]) => [
      name,
      z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' }),
    ]),
  );
  const intent = [idParameter('intent_id')];
  const thread = [idParameter('thread_id'), query('owner_agent', { type: 'string' })];
  return {
    schemas,
    securitySchemes: { axmeApiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' } },
    paths: {
      '/health': { get: { ...operation('AXME health'), security: [] } },
      '/v1/capabilities': { get: operation('AXME capabilities') },
      '/v1/intents': {
        post: operation('Create an intent (Idempotency-Key honoured)', 'AxmeCreateIntent', [
          { name: 'Idempotency-Key', in: 'header', schema: { type: 'string' } },
        ]),
      },
      '/v1/intents/{intent_id}': { get: operation('Read an intent', undefined, intent) },
      '/v1/intents/{intent_id}/events': {
        get: operation('List intent events', undefined, [
          ...intent,
          query('since', { type: 'integer', minimum: 0 }),
        ]),
      },
      '/v1/intents/{intent_id}/events/stream': {
        get: {
          ...operation('Intent events as SSE, one window', undefined, [
            ...intent,
            query('since', { type: 'integer', minimum: 0 }),
            query('wait_seconds', { type: 'integer', minimum: 1, maximum: 60 }),
          ]),
          responses: { '200': { description: 'text/event-stream' } },
        },
      },
      '/v1/intents/{intent_id}/resolve': {
        post: operation('Resolve an intent', 'AxmeResolveIntent', intent),
      },
      '/v1/intents/{intent_id}/resume': {
        post: operation('Approve or reject the waiting step', 'AxmeResumeIntent', intent),
      },
      '/v1/intents/{intent_id}/controls': {
        post: operation('Change deadline and reminders', 'AxmeIntentControls', intent),
      },
      '/v1/intents/{intent_id}/policy': {
        post: operation('Change assignees and escalation', 'AxmeIntentPolicy', intent),
      },
      '/v1/inbox': {
        get: operation('The caller’s human tasks', undefined, [
          query('status', { enum: ['pending', 'active', 'done'] }),
          query('owner_agent', { type: 'string' }),
        ]),
      },
      '/v1/inbox/changes': {
        get: operation('Inbox changes after a cursor', undefined, [
          query('cursor', { type: 'string' }),
          query('limit', { type: 'integer', minimum: 1, maximum: 200 }),
        ]),
      },
      '/v1/inbox/{thread_id}': { get: operation('Read a thread', undefined, thread) },
      '/v1/inbox/{thread_id}/approve': {
        post: operation('Approve', 'AxmeInboxDecision', thread),
      },
      '/v1/inbox/{thread_id}/reject': { post: operation('Reject', 'AxmeInboxDecision', thread) },
      '/v1/inbox/{thread_id}/reply': {
        post: operation('Answer a clarification or form', 'AxmeInboxReply', thread),
      },
      '/v1/inbox/{thread_id}/delegate': {
        post: operation('Hand the task to someone else', 'AxmeInboxDelegate', thread),
      },
      '/v1/inbox/{thread_id}/read': {
        post: operation('Mark read (no stored state)', undefined, thread),
      },
      '/v1/inbox/{thread_id}/messages/delete': {
        post: operation('Delete messages (nothing is deleted)', 'AxmeInboxDelete', thread),
      },
      '/v1/approvals/{approval_id}/decision': {
        post: operation('Decide an approval', 'AxmeApprovalDecision', [idParameter('approval_id')]),
      },
    },
  };
}
