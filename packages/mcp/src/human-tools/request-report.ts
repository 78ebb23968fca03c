import type { ApprovalRequest } from '@countersign/core';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { cardMeta } from '../card/card-data.js';

const validators = new AjvJsonSchemaValidator();

function result(
  text: string,
  structured: Record<string, unknown>,
  isError = false,
): CallToolResult {
  return {
    content: [{ type: 'text', text }],
    structuredContent: structured,
    ...(isError ? { isError: true } : {}),
  };
}

function by(request: ApprovalRequest): string {
  const who = request.resolution?.by ?? [];
  return who.length > 0 ? who.join(', ') : 'a reviewer';
}

/**
 * Turns a request as it now stands into the tool result the model reads: a plain account of the
 * decision, and the same as `structuredContent`. A form answer is validated against the request's
 * JSON Schema; one that does not match is an error, never handed over as if valid.
 */
export function reportRequest(request: ApprovalRequest, publicUrl?: string): CallToolResult {
  // The approval card (an MCP App) renders the request from `_meta`.
  return { ...reportStatus(request), _meta: cardMeta(request, publicUrl) };
}

function reportStatus(request: ApprovalRequest): CallToolResult {
  const base = { requestId: request.id, kind: request.kind, status: request.status };
  const resolution = request.resolution;
  const comment = resolution?.comment ? ` Comment: ${resolution.comment}` : '';
  switch (request.status) {
    case 'pending':
      return result(
        `Still waiting for a human (request ${request.id}). Call check_request with ` +
          `{"request_id": "${request.id}"} later to get the decision; do not ask again.`,
        base,
      );
    case 'approved': {
      const edited = resolution?.edited && resolution.args ? resolution.args : undefined;
      const values = edited
        ? ` They changed the values to ${JSON.stringify(edited)}; use these.`
        : '';
      return result(`Approved by ${by(request)}.${values}${comment}`, {
        ...base,
        approved: true,
        by: resolution?.by ?? [],
        ...(resolution?.comment ? { comment: resolution.comment } : {}),
        ...(edited ? { values: edited } : {}),
      });
    }
    case 'rejected':
      return result(
        `Rejected by ${by(request)}: ${resolution?.reason ?? 'no reason given'}. Do not proceed with this action.${comment}`,
        {
          ...base,
          approved: false,
          by: resolution?.by ?? [],
          reason: resolution?.reason ?? '',
        },
      );
    case 'answered':
      return reportAnswer(request, base);
    case 'expired':
      return result(
        `Nobody decided before the deadline (request ${request.id} expired). This is not a rejection, ` +
          'but do not proceed without an approval; ask again only if it still matters.',
        { ...base, approved: false },
      );
    case 'cancelled':
      return result(`Request ${request.id} was cancelled; nobody decided it. Do not proceed.`, {
        ...base,
        approved: false,
      });
  }
}

function reportAnswer(request: ApprovalRequest, base: Record<string, unknown>): CallToolResult {
  const answer = request.resolution?.response;
  if (request.kind === 'form' && request.responseSchema) {
    const check = validators.getValidator(request.responseSchema as never)(answer);
    if (!check.valid) {
      return result(
        `The answer to request ${request.id} does not match the form's schema (${check.errorMessage}); it was not accepted.`,
        { ...base, valid: false },
        true,
      );
    }
    return result(`${by(request)} filled in the form: ${JSON.stringify(answer)}`, {
      ...base,
      by: request.resolution?.by ?? [],
      data: answer,
    });
  }
  const text = typeof answer === 'string' ? answer : JSON.stringify(answer);
  return result(`${by(request)} answered: ${text}`, {
    ...base,
    by: request.resolution?.by ?? [],
    answer,
  });
}
