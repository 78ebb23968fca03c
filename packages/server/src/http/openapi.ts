import { axmeOpenApi } from '../axme/axme-openapi.js';
import { slackOpenApi } from '../slack/slack-openapi.js';
import { pauseListQuerySchema } from './ambedo-schemas.js';
import { auditQuerySchema } from './audit-schemas.js';
import { notificationQuerySchema } from './notification-schemas.js';
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
import { userListQuerySchema } from './user-schemas.js';
import { waitQuerySchema } from './wait-core.js';

const HTML = { content: { 'text/html': { schema: { type: 'string' } } } };

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
    '/v1/requests/{id}/grant-options': {
      parameters: [requestId],
      get: operation({
        summary:
          'Whether approving the request may add a grant, and the choices: conditions, lifetimes within the caps, the default lifetime, whom it may cover',
        answer: 'GrantOptions',
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
    '/v1/requests/{id}/notifications': {
      parameters: [requestId],
      get: operation({
        summary:
          'Who was told of the request, on which channel, and how delivery stands (reviewers, admins)',
        answer: 'NotificationList',
      }),
    },
    '/v1/notifications': {
      get: operation({
        summary: 'Notification deliveries by status, failed ones by default (admins)',
        answer: 'NotificationList',
        query: notificationQuerySchema,
      }),
    },
    '/v1/requests/{id}/execution': {
      parameters: [requestId],
      post: operation({
        summary:
          'Report running an approved call: executing (once; 409 "already running or ran" for another attempt), then succeeded or failed',
        answer: 'ApprovalRequest',
        body: 'ExecutionReportBody',
      }),
    },
    '/v1/receipts/{id}/consume': {
      parameters: [pathId('id', 'The receipt id (its jti)')],
      post: operation({
        summary:
          'Consume a decision receipt once: idempotent for the same caller, 409 for another or once expired',
        answer: 'ReceiptConsumption',
        body: 'ConsumeReceiptBody',
      }),
    },
    '/.well-known/jwks.json': {
      get: operation({
        summary: 'The public keys decision receipts are signed with (EdDSA), newest first',
        answer: 'ReceiptKeySet',
        public: true,
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
    '/v1/users': {
      post: operation({
        summary: 'Add a user to the directory (admins)',
        status: '201',
        answer: 'User',
        body: 'CreateUserBody',
      }),
      get: operation({
        summary: 'List the directory by name (admins)',
        answer: 'UserList',
        query: userListQuerySchema,
      }),
    },
    '/v1/users/{name}': {
      parameters: [pathId('name', 'NAME of user:NAME')],
      get: operation({ summary: 'Read a user (admins)', answer: 'User' }),
      patch: operation({
        summary: 'Change a user; active: false disables, true enables (admins)',
        answer: 'User',
        body: 'UpdateUserBody',
      }),
    },
    '/v1/users/{name}/disable': {
      parameters: [pathId('name', 'NAME of user:NAME')],
      post: operation({
        summary: 'Disable a user: their keys and open streams stop at once (admins)',
        answer: 'User',
      }),
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
    '/d/{token}': {
      parameters: [pathId('token', 'The signed decision token from a notification')],
      get: operation({
        summary: 'The confirmation page of a signed decision link (HTML; decides nothing)',
        public: true,
        responses: { '200': { description: 'The page', content: { 'text/html': {} } } },
      }),
      post: operation({
        summary:
          'Decide through a signed link (form: decision=approve|reject, reason, comment; with approve, grant=on and grant_scope, grant_when, grant_lifetime, grant_uses, grant_for add a grant)',
        public: true,
        responses: { '200': { description: 'The outcome page', content: { 'text/html': {} } } },
      }),
    },
    '/auth/session': {
      get: operation({
        summary:
          'The sign-in methods on this server and the session of the cookie sent, with its CSRF token',
        answer: 'AuthSession',
        public: true,
      }),
    },
    '/auth/oidc/login': {
      get: operation({
        summary:
          'Start signing in with the OpenID provider (redirects there; 404 when OIDC is off)',
        public: true,
        parameters: [
          {
            name: 'returnTo',
            in: 'query',
            description: 'The dashboard path to come back to after signing in (default /)',
            schema: { type: 'string' },
          },
        ],
        responses: {
          '302': { description: 'To the provider, with a short-lived sign-in cookie' },
          ...ERROR_RESPONSES,
        },
      }),
    },
    '/auth/oidc/callback': {
      get: operation({
        summary: "The provider's redirect back: sets the session cookie, or shows why not",
        public: true,
        parameters: ['code', 'state', 'iss', 'error', 'error_description'].map((name) => ({
          name,
          in: 'query',
          description: `The authorization response's ${name}, as the provider sends it`,
          schema: { type: 'string' },
        })),
        responses: {
          '303': { description: 'Signed in: to the dashboard, with the session cookie' },
          '400': { description: 'A page saying why the sign-in was refused', ...HTML },
          '401': { description: 'A page saying why the sign-in was refused', ...HTML },
          '403': { description: 'A page saying why the sign-in was refused', ...HTML },
          '409': { description: 'A page saying why the sign-in was refused', ...HTML },
        },
      }),
    },
    '/auth/logout': {
      post: operation({
        summary:
          'End the session on the server (cookie with Origin and X-CSRF-Token, or a countersign login token)',
        status: '204',
      }),
    },
    '/auth/cli/token': {
      post: operation({
        summary:
          'Exchange an ID token from the device authorization grant for a short-lived Countersign token',
        status: '201',
        answer: 'CliToken',
        body: 'CliTokenBody',
        public: true,
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
    '/metrics': {
      get: operation({
        summary:
          'Prometheus metrics, to the metrics token (Authorization: Bearer <token>) only; a 404 unless the server has --metrics-token',
        responses: {
          '200': {
            description: 'The metrics',
            content: {
              'text/plain': {
                schema: { type: 'string', description: 'The Prometheus text exposition format' },
              },
            },
          },
          '401': { description: 'No or another token', ...json('ApiError') },
          '404': { description: 'Metrics are off on this port', ...json('ApiError') },
        },
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
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        sessionCookie: {
          type: 'apiKey',
          in: 'cookie',
          name: 'countersign-session',
          description:
            'The dashboard session (__Host-countersign-session over HTTPS); changes also need Origin and X-CSRF-Token',
        },
        ...axme.securitySchemes,
      },
    },
    security: [{ bearer: [] }, { sessionCookie: [] }],
    paths: { ...paths(), ...controlPaths(), ...axme.paths, ...slackOpenApi() },
  };
  return cached;
}
