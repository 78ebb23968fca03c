import { axmeOpenApi } from '../axme/axme-openapi.js';
import { pauseListQuerySchema } from './ambedo-schemas.js';
import { auditQuerySchema } from './audit-schemas.js';
import { componentRef, componentSchemas } from './openapi-components.js';
import { controlPaths } from './openapi-control.js';
import {
  ERROR_RESPONSES,
  eventStream,
  json,
  operation,
  pathId,
  requestId,
} from './openapi-operations.js';
import { grantListQuerySchema } from './routes-grants.js';
import { requestListQuerySchema } from './routes-requests.js';
import { waitQuerySchema } from './wait-core.js';

function paths(): Record<string, unknown> {
  return {
    '/v1/requests': {
      post: operation({
        summary: 'Create a request (201; 200 when an Idempotency-Key replays an earlier create)',
        status: '201',
        answer: 'ApprovalRequest',
        body: 'CreateRequestBody',
        parameters: [
          {
            name: 'Idempotency-Key',
            in: 'header',
            description: 'Repeating a create with the same key returns the first request',
            schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,255}$' },
          },
        ],
      }),
      get: operation({
        summary: 'List requests (inbox)',
        answer: 'RequestList',
        query: requestListQuerySchema,
      }),
    },
    '/v1/requests/{id}': {
      parameters: [requestId],
      get: operation({ summary: 'Read a request', answer: 'ApprovalRequest' }),
      patch: operation({
        summary: 'Change deadline, assignees, reminders or escalation',
        answer: 'ApprovalRequest',
        body: 'UpdateRequestBody',
      }),
    },
    '/v1/requests/{id}/decisions': {
      parameters: [requestId],
      post: operation({ summary: 'Decide', answer: 'ApprovalRequest', body: 'DecisionBody' }),
    },
    '/v1/requests/{id}/cancel': {
      parameters: [requestId],
      post: operation({
        summary: 'Cancel',
        answer: 'ApprovalRequest',
        body: 'CancelBody',
        bodyOptional: true,
      }),
    },
    '/v1/requests/{id}/wait': {
      parameters: [requestId],
      get: operation({
        summary: 'Long-poll until final or timeout',
        answer: 'ApprovalRequest',
        query: waitQuerySchema,
      }),
    },
    '/v1/requests/{id}/events': {
      parameters: [requestId],
      get: eventStream('Server-Sent Events of one request, from its first event'),
    },
    '/v1/events': {
      get: eventStream('Server-Sent Events of every request the caller may see, from now'),
    },
    '/v1/audit': {
      get: operation({
        summary: 'The audit log as JSON Lines or CSV (admins)',
        query: auditQuerySchema,
        responses: {
          '200': {
            description: 'One AuditEntry per line (JSON Lines), or CSV with the same columns',
            content: {
              'application/jsonl': { schema: componentRef('AuditEntry') },
              'text/csv': { schema: { type: 'string' } },
            },
          },
          ...ERROR_RESPONSES,
        },
      }),
    },
    '/v1/audit/verify': {
      get: operation({
        summary: 'Verify the audit hash chain (admins)',
        answer: 'AuditVerification',
      }),
    },
    '/v1/me': {
      get: operation({ summary: 'Who the API key stands for', answer: 'Identity' }),
    },
    '/v1/keys': {
      post: operation({
        summary: 'Create an API key (admins)',
        status: '201',
        answer: 'CreatedApiKey',
        body: 'CreateKeyBody',
      }),
      get: operation({ summary: 'List API keys (admins)', answer: 'ApiKeyList' }),
    },
    '/v1/keys/{id}': {
      parameters: [pathId('id', 'The key id')],
      delete: operation({ summary: 'Revoke an API key (admins)', status: '204' }),
    },
    '/v1/webhooks': {
      post: operation({
        summary: 'Subscribe a webhook (admins)',
        status: '201',
        answer: 'CreatedWebhook',
        body: 'CreateWebhookBody',
      }),
      get: operation({ summary: 'List webhook subscriptions (admins)', answer: 'WebhookList' }),
    },
    '/v1/webhooks/callback-secret': {
      get: operation({
        summary: 'The secret that signs callbackUrl deliveries (admins)',
        answer: 'CallbackSecret',
      }),
    },
    '/v1/webhooks/{id}': {
      parameters: [pathId('id', 'The webhook id')],
      delete: operation({ summary: 'Delete a webhook subscription (admins)', status: '204' }),
    },
    '/v1/grants': {
      get: operation({
        summary: 'List the grants the caller may see',
        answer: 'GrantList',
        query: grantListQuerySchema,
      }),
      post: operation({
        summary: 'Make a grant directly (admins)',
        status: '201',
        answer: 'Grant',
        body: 'CreateGrantBody',
      }),
    },
    '/v1/grants/{id}': {
      parameters: [pathId('id', 'The grant id')],
      get: operation({ summary: 'Read a grant', answer: 'Grant' }),
    },
    '/v1/grants/{id}/revoke': {
      parameters: [pathId('id', 'The grant id')],
      post: operation({
        summary: 'Revoke a grant (its granter or an admin)',
        answer: 'Grant',
        body: 'RevokeGrantBody',
        bodyOptional: true,
      }),
    },
    '/api/pause': {
      post: operation({
        summary: 'Ambedo: pause for a human (creates an approval request)',
        status: '201',
        answer: 'PauseCreated',
        body: 'PauseBody',
      }),
      get: operation({
        summary: 'Ambedo: list pauses',
        answer: 'PauseList',
        query: pauseListQuerySchema,
      }),
    },
    '/api/pause/{watchId}': {
      parameters: [pathId('watchId', 'The pause id')],
      get: operation({ summary: 'Ambedo: read a pause', answer: 'PauseView' }),
    },
    '/api/pause/{watchId}/approve': {
      parameters: [pathId('watchId', 'The pause id')],
      post: operation({
        summary: 'Ambedo: approve or reject a pause',
        answer: 'PauseView',
        body: 'ApproveBody',
      }),
    },
    '/healthz': {
      get: operation({ summary: 'Liveness', answer: 'Health', public: true }),
    },
    '/readyz': {
      get: operation({
        summary: 'Readiness',
        public: true,
        responses: {
          '200': { description: 'Ready', ...json('Readiness') },
          '503': { description: 'The database is not reachable', ...json('ApiError') },
        },
      }),
    },
    '/openapi.json': {
      get: operation({
        summary: 'This document',
        public: true,
        responses: { '200': { description: 'The OpenAPI 3.1 document' } },
      }),
    },
  };
}

let cached: Record<string, unknown> | undefined;

/**
 * The OpenAPI 3.1 document of every route the server answers, with component schemas and query
 * parameters generated from the same zod schemas the routes validate with.
 */
export function openApiDocument(): Record<string, unknown> {
  if (cached) return cached;
  const axme = axmeOpenApi();
  cached = {
    openapi: '3.1.0',
    info: {
      title: 'Countersign',
      version: '0.1.0',
      description: 'Human approval for AI-agent tool calls',
    },
    components: {
      schemas: { ...componentSchemas(), ...axme.schemas },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, ...axme.securitySchemes },
    },
    security: [{ bearer: [] }],
    paths: { ...paths(), ...controlPaths(), ...axme.paths },
  };
  return cached;
}
