import type { ApprovalRequest } from '@countersign/core';
import { type EditValidator, isJsonObject } from '@countersign/core/adapter';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { cardMeta } from '../card/card-data.js';

const validators = new AjvJsonSchemaValidator();

/** A plain text tool result. */
export function textResult(text: string, isError = false): CallToolResult {
  return isError
    ? { isError: true, content: [{ type: 'text', text }] }
    : { content: [{ type: 'text', text }] };
}

/**
 * The result for a call still waiting for a human. A normal (non-error) result, so the model reads
 * it as "not yet" rather than "failed" — except for tools with an `outputSchema`: a successful
 * result must carry matching `structuredContent` there, and MCP clients reject it otherwise, so
 * those get `isError` with the same text.
 */
export function pendingResult(
  tool: Tool,
  request: ApprovalRequest,
  publicUrl?: string,
): CallToolResult {
  const requestId = request.id;
  // The approval card (an MCP App) renders the request from this.
  const _meta = cardMeta(request, publicUrl);
  const text =
    `Waiting for human approval: ${tool.name} has NOT run yet (Countersign request ${requestId}). ` +
    `Call check_request with {"request_id": "${requestId}"} later to get the outcome; ` +
    `do not call ${tool.name} again for this action.`;
  if (tool.outputSchema) return { ...textResult(text, true), _meta };
  return {
    content: [{ type: 'text', text }],
    structuredContent: { status: 'pending', requestId },
    _meta,
  };
}

/**
 * The human's answer, handed back instead of running the tool. For a tool with an
 * `outputSchema`, an answer that matches the schema becomes `structuredContent`; one that does
 * not is an error result (a client would reject it as output).
 */
export function respondResult(
  tool: Tool | undefined,
  response: unknown,
  message: string,
): CallToolResult {
  const answer = typeof response === 'string' ? response : JSON.stringify(response);
  const text = `${message}\n${answer}`;
  if (!tool?.outputSchema) {
    return isJsonObject(response)
      ? { content: [{ type: 'text', text }], structuredContent: response }
      : { content: [{ type: 'text', text }] };
  }
  const check = validators.getValidator(tool.outputSchema as never)(response);
  if (!check.valid) {
    return textResult(
      `${message} The answer does not match the output schema of ${tool.name} (${check.errorMessage}): ${answer}`,
      true,
    );
  }
  return {
    content: [{ type: 'text', text }],
    structuredContent: response as Record<string, unknown>,
  };
}

const argsValidators = new WeakMap<
  Tool,
  (args: unknown) => { valid: boolean; errorMessage?: string }
>();

/**
 * Validates (human-edited) arguments against a tool's input schema; throws with the validator's
 * message. The schema is compiled on first use and cached per listing. The arguments then run as
 * edited (the core's contract), so the upstream sees exactly what the human approved.
 */
export function createArgsValidator(tool: Tool): EditValidator {
  return (args) => {
    let validate = argsValidators.get(tool);
    if (!validate) {
      validate = validators.getValidator(tool.inputSchema as never);
      argsValidators.set(tool, validate);
    }
    const check = validate(args);
    if (!check.valid) {
      throw new Error(
        `The arguments do not match the input schema of ${tool.name}: ${check.errorMessage}`,
      );
    }
    return args;
  };
}
