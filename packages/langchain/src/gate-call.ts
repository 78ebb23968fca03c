import type { GateCheckInput, GateDeny, JsonObject } from '@countersign/core';
import { type AdapterGate, isJsonObject, toolPreview } from '@countersign/core/adapter';
import { isGraphInterrupt } from '@langchain/langgraph';
import { checkOrPause, type FinalDecision } from './pending.js';
import { type SchemaBearingTool, toolArgsValidator, toolInputSchema } from './tool-schema.js';

/** One tool call as the adapters see it, whatever hook it came through. */
export interface ToolCallDescription {
  toolName: string;
  args: unknown;
  toolCallId?: string | undefined;
  runId?: string | undefined;
  context?: JsonObject | undefined;
  /** The tool being called, for its schema (validation of edited arguments). */
  tool?: SchemaBearingTool | undefined;
  signal?: AbortSignal | undefined;
  waitTimeoutMs?: number | undefined;
}

/**
 * Asks the gate about one call and never throws (except LangGraph's own interrupt, which pauses the
 * run): any failure becomes a denial, so the tool does not run and the model is told why.
 */
export async function decideToolCall(
  gate: AdapterGate,
  call: ToolCallDescription,
): Promise<FinalDecision> {
  if (!isJsonObject(call.args)) {
    return {
      outcome: 'deny',
      reason: 'invalid',
      message: `The arguments for ${call.toolName} must be a JSON object, so the tool did not run.`,
    };
  }
  const validateArgs = toolArgsValidator(call.tool);
  const inputSchema = toolInputSchema(call.tool);
  let preview: GateCheckInput['preview'];
  try {
    preview = toolPreview(call.toolName, call.tool?.metadata);
  } catch (error) {
    return {
      outcome: 'deny',
      reason: 'invalid',
      message: `${(error as Error).message}, so the tool did not run.`,
    };
  }
  const input: GateCheckInput = {
    toolName: call.toolName,
    args: call.args,
    ...(call.toolCallId ? { toolCallId: call.toolCallId } : {}),
    ...(call.runId ? { runId: call.runId } : {}),
    ...(call.context === undefined ? {} : { context: call.context }),
    ...(inputSchema === undefined ? {} : { inputSchema }),
    ...(preview === undefined ? {} : { preview }),
    ...(validateArgs === undefined ? {} : { validateArgs }),
    ...(call.signal === undefined ? {} : { signal: call.signal }),
    ...(call.waitTimeoutMs === undefined ? {} : { waitTimeoutMs: call.waitTimeoutMs }),
  };
  try {
    return await checkOrPause(gate, input);
  } catch (error) {
    if (isGraphInterrupt(error)) throw error;
    return unavailable(call.toolName, error);
  }
}

function unavailable(toolName: string, error: unknown): GateDeny {
  const detail = error instanceof Error ? `: ${error.message}` : '';
  return {
    outcome: 'deny',
    reason: 'unavailable',
    cause: error,
    message:
      `The approval check for ${toolName} failed${detail}, so the tool did not run. ` +
      'Do not retry it now; tell the user the approval service could not be reached.',
  };
}

/** The problem with a `waitTimeoutMs` option, if any, reported at construction. */
export function waitTimeoutProblems(value: number | undefined): string[] {
  if (value === undefined || (Number.isInteger(value) && value >= 1)) return [];
  return ['waitTimeoutMs must be a positive integer (milliseconds)'];
}
