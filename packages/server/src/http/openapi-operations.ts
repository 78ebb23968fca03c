import type { z } from 'zod';
import { type ComponentName, componentRef, queryParameters } from './openapi-components.js';

// The building blocks of the operations in /openapi.json.

/** A JSON body of a component schema. */
export const json = (name: ComponentName) => ({
  content: { 'application/json': { schema: componentRef(name) } },
});
/** The JSON error answers every operation may give. */
export const ERROR_RESPONSES = {
  '400': { description: 'Invalid input', ...json('ApiError') },
  '401': { description: 'Missing or unknown API key', ...json('ApiError') },
  '403': { description: 'Not allowed', ...json('ApiError') },
  '404': { description: 'Not found', ...json('ApiError') },
  '409': { description: 'Conflict', ...json('ApiError') },
  '413': { description: 'A body, string or schema over its size limit', ...json('ApiError') },
  '429': {
    description:
      'Over a rate or open-wait limit (code rate_limited; details.retryAfterSeconds and details.limit)',
    headers: {
      'Retry-After': {
        description: 'Whole seconds to wait before retrying',
        schema: { type: 'integer', minimum: 0 },
      },
    },
    ...json('ApiError'),
  },
};
/** A path parameter. */
export const pathId = (name: string, description: string) => ({
  name,
  in: 'path',
  required: true,
  description,
  schema: { type: 'string' },
});
/** The `{id}` of the request routes. */
export const requestId = pathId('id', 'The request id');

/** What one operation takes and answers. */
export interface OperationSpec {
  summary: string;
  /** The JSON answer; none for 204. */
  answer?: ComponentName;
  /** The success status (default 200). */
  status?: '200' | '201' | '204';
  /** The JSON body. */
  body?: ComponentName;
  /** True when an empty body is accepted. */
  bodyOptional?: boolean;
  /** The zod schema the route validates its query with. */
  query?: z.ZodObject;
  /** Further parameters (headers). */
  parameters?: Record<string, unknown>[];
  /** Answers without an API key. */
  public?: boolean;
  /** Answers instead of a JSON component (streams, text). */
  responses?: Record<string, unknown>;
}

/** One OpenAPI operation; the error answers are the JSON error body. */
export function operation(spec: OperationSpec): Record<string, unknown> {
  const status = spec.status ?? '200';
  const success = spec.answer
    ? { description: 'OK', ...json(spec.answer) }
    : { description: 'No content' };
  const parameters = [
    ...(spec.query ? queryParameters(spec.query) : []),
    ...(spec.parameters ?? []),
  ];
  return {
    summary: spec.summary,
    ...(spec.public ? { security: [] } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(spec.body ? { requestBody: { required: !spec.bodyOptional, ...json(spec.body) } } : {}),
    responses: spec.responses ?? { [status]: success, ...ERROR_RESPONSES },
  };
}

/** A Server-Sent Events operation of request events. */
export const eventStream = (summary: string) =>
  operation({
    summary,
    parameters: [
      {
        name: 'Last-Event-ID',
        in: 'header',
        description: 'Resume after this event id (the id: of the last message received)',
        schema: { type: 'string', pattern: '^\\d{1,15}$' },
      },
      {
        name: 'lastEventId',
        in: 'query',
        description: 'The same as Last-Event-ID, for clients that cannot set headers',
        schema: { type: 'string', pattern: '^\\d{1,15}$' },
      },
    ],
    responses: {
      '200': {
        description:
          'Server-Sent Events: event: is the RequestEvent type, id: its cursor, data: the RequestEvent as JSON; a ": keep-alive" comment every 15 s',
        content: { 'text/event-stream': { schema: componentRef('RequestEvent') } },
      },
      ...ERROR_RESPONSES,
    },
  });
