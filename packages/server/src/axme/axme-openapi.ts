import { z } from 'zod';
import { queryParameters } from '../http/openapi-components.js';
import { pathId } from '../http/openapi-operations.js';
import {
  approvalDecisionSchema,
  createIntentSchema,
  eventsQuerySchema,
  inboxChangesQuerySchema,
  inboxDecisionSchema,
  inboxDelegateSchema,
  inboxDeleteSchema,
  inboxQuerySchema,
  inboxReplySchema,
  intentControlsSchema,
  intentPolicySchema,
  resolveIntentSchema,
  resumeIntentSchema,
  streamQuerySchema,
  threadQuerySchema,
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
  // The path parameters carry the routes' names; the paths keep AXME's shapes.
  const intent = [pathId('id', "The intent id (AXME's intent_id)")];
  const thread = [
    pathId('threadId', "The thread id (AXME's thread_id: the intent id)"),
    ...queryParameters(threadQuerySchema),
  ];
  return {
    schemas,
    securitySchemes: {
      axmeApiKey: {
        type: 'apiKey',
        in: 'header',
        name: 'x-api-key',
        description: 'A Countersign API key, as AXME sends its service-account key',
      },
    },
    paths: {
      '/health': { get: { ...operation('AXME health'), security: [] } },
      '/v1/capabilities': { get: operation('AXME capabilities') },
      '/v1/intents': {
        post: operation('Create an intent (Idempotency-Key honoured)', 'AxmeCreateIntent', [
          {
            name: 'Idempotency-Key',
            in: 'header',
            description: 'A retry with the same key and body answers the same intent',
            schema: { type: 'string' },
          },
        ]),
      },
      '/v1/intents/{id}': { get: operation('Read an intent', undefined, intent) },
      '/v1/intents/{id}/events': {
        get: operation('List intent events', undefined, [
          ...intent,
          ...queryParameters(eventsQuerySchema),
        ]),
      },
      '/v1/intents/{id}/events/stream': {
        get: {
          ...operation('Intent events as SSE, one window', undefined, [
            ...intent,
            ...queryParameters(streamQuerySchema),
            {
              name: 'Last-Event-ID',
              in: 'header',
              description: 'Resume after this seq (wins over since when higher)',
              schema: { type: 'string' },
            },
          ]),
          responses: { '200': { description: 'text/event-stream' } },
        },
      },
      '/v1/intents/{id}/resolve': {
        post: operation('Resolve an intent', 'AxmeResolveIntent', intent),
      },
      '/v1/intents/{id}/resume': {
        post: operation('Approve or reject the waiting step', 'AxmeResumeIntent', intent),
      },
      '/v1/intents/{id}/controls': {
        post: operation('Change deadline and reminders', 'AxmeIntentControls', intent),
      },
      '/v1/intents/{id}/policy': {
        post: operation('Change assignees and escalation', 'AxmeIntentPolicy', intent),
      },
      '/v1/inbox': {
        get: operation('The caller’s human tasks', undefined, queryParameters(inboxQuerySchema)),
      },
      '/v1/inbox/changes': {
        get: operation(
          'Inbox changes after a cursor',
          undefined,
          queryParameters(inboxChangesQuerySchema),
        ),
      },
      '/v1/inbox/{threadId}': { get: operation('Read a thread', undefined, thread) },
      '/v1/inbox/{threadId}/approve': {
        post: operation('Approve', 'AxmeInboxDecision', thread),
      },
      '/v1/inbox/{threadId}/reject': { post: operation('Reject', 'AxmeInboxDecision', thread) },
      '/v1/inbox/{threadId}/reply': {
        post: operation('Answer a clarification or form', 'AxmeInboxReply', thread),
      },
      '/v1/inbox/{threadId}/delegate': {
        post: operation('Hand the task to someone else', 'AxmeInboxDelegate', thread),
      },
      '/v1/inbox/{threadId}/read': {
        post: operation('Mark read (no stored state)', undefined, thread),
      },
      '/v1/inbox/{threadId}/messages/delete': {
        post: operation('Delete messages (nothing is deleted)', 'AxmeInboxDelete', thread),
      },
      '/v1/approvals/{approvalId}/decision': {
        post: operation('Decide an approval', 'AxmeApprovalDecision', [
          pathId('approvalId', "The approval id (AXME's approval_id: the intent id)"),
        ]),
      },
    },
  };
}
