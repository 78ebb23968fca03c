import {
  apiErrorBodySchema,
  approvalRequestSchema,
  cancelBodySchema,
  createRequestBodySchema,
  decisionBodySchema,
  requestEventSchema,
  requestListSchema,
  updateRequestBodySchema,
} from '@countersign/core/protocol';
import { z } from 'zod';
import { axmeOpenApi } from '../axme/axme-openapi.js';

const SCHEMAS = {
  CreateRequestBody: [createRequestBodySchema, 'input'],
  DecisionBody: [decisionBodySchema, 'input'],
  CancelBody: [cancelBodySchema, 'input'],
  UpdateRequestBody: [updateRequestBodySchema, 'input'],
  ApprovalRequest: [approvalRequestSchema, 'output'],
  RequestList: [requestListSchema, 'output'],
  RequestEvent: [requestEventSchema, 'output'],
  ApiError: [apiErrorBodySchema, 'output'],
} as const;

const ref = (name: keyof typeof SCHEMAS) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: keyof typeof SCHEMAS) => ({
  content: { 'application/json': { schema: ref(name) } },
});
const errors = {
  '400': { description: 'Invalid input', ...json('ApiError') },
  '401': { description: 'Missing or unknown API key', ...json('ApiError') },
  '403': { description: 'Not allowed', ...json('ApiError') },
  '404': { description: 'Not found', ...json('ApiError') },
  '409': { description: 'Conflict', ...json('ApiError') },
};
const idParameter = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };

function operation(summary: string, response: keyof typeof SCHEMAS, body?: keyof typeof SCHEMAS) {
  return {
    summary,
    ...(body ? { requestBody: { required: true, ...json(body) } } : {}),
    responses: { '200': { description: 'OK', ...json(response) }, ...errors },
  };
}

let cached: Record<string, unknown> | undefined;

/** The OpenAPI 3.1 document, with component schemas generated from the core zod schemas. */
export function openApiDocument(): Record<string, unknown> {
  if (cached) return cached;
  const schemas = Object.fromEntries(
    Object.entries(SCHEMAS).map(([name, [schema, io]]) => [
      name,
      z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any' }),
    ]),
  );
  const axme = axmeOpenApi();
  cached = {
    openapi: '3.1.0',
    info: {
      title: 'Countersign',
      version: '0.1.0',
      description: 'Human approval for AI-agent tool calls',
    },
    components: {
      schemas: { ...schemas, ...axme.schemas },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, ...axme.securitySchemes },
    },
    security: [{ bearer: [] }],
    paths: {
      '/v1/requests': {
        post: {
          ...operation('Create a request', 'ApprovalRequest', 'CreateRequestBody'),
          parameters: [{ name: 'Idempotency-Key', in: 'header', schema: { type: 'string' } }],
        },
        get: operation('List requests (inbox)', 'RequestList'),
      },
      '/v1/requests/{id}': {
        parameters: [idParameter],
        get: operation('Read a request', 'ApprovalRequest'),
        patch: operation(
          'Change deadline, assignees, reminders or escalation',
          'ApprovalRequest',
          'UpdateRequestBody',
        ),
      },
      '/v1/requests/{id}/decisions': {
        parameters: [idParameter],
        post: operation('Decide', 'ApprovalRequest', 'DecisionBody'),
      },
      '/v1/requests/{id}/cancel': {
        parameters: [idParameter],
        post: operation('Cancel', 'ApprovalRequest', 'CancelBody'),
      },
      '/v1/requests/{id}/wait': {
        parameters: [
          idParameter,
          { name: 'timeout', in: 'query', schema: { type: 'number', maximum: 60 } },
        ],
        get: operation('Long-poll until terminal or timeout', 'ApprovalRequest'),
      },
      '/v1/requests/{id}/events': {
        parameters: [idParameter],
        get: {
          summary: 'Server-Sent Events of one request (RequestEvent per message)',
          responses: { '200': { description: 'text/event-stream' } },
        },
      },
      '/v1/events': {
        get: {
          summary: 'Server-Sent Events the caller may see',
          responses: { '200': { description: 'text/event-stream' } },
        },
      },
      '/v1/audit': {
        get: {
          summary: 'Audit log as JSON Lines or CSV',
          responses: { '200': { description: 'application/jsonl or text/csv' } },
        },
      },
      '/v1/audit/verify': {
        get: {
          summary: 'Verify the audit hash chain',
          responses: { '200': { description: 'Verification result' } },
        },
      },
      '/healthz': {
        get: { security: [], summary: 'Liveness', responses: { '200': { description: 'OK' } } },
      },
      '/readyz': {
        get: {
          security: [],
          summary: 'Readiness',
          responses: { '200': { description: 'Ready' }, '503': { description: 'Not ready' } },
        },
      },
      ...axme.paths,
    },
  };
  return cached;
}
