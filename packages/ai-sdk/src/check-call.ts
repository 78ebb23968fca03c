import { CountersignError } from '@countersign/core';
import { isJsonObject, toolPreview } from '@countersign/core/adapter';
import type { Tool } from 'ai';
import type { GateCheckInput, GateDecision } from './core-types.js';
import {
  type CountersignCallOptions,
  type ResolvedCallOptions,
  runIdFor,
  type ToolCallInfo,
} from './gate-options.js';
import { editedArgsValidator, inputJsonSchema } from './tool-schema.js';

/** Per-check settings that are not part of the request itself. */
export interface CheckExtras {
  /** Aborts the wait (the call is then denied with reason `aborted`). */
  signal?: AbortSignal;
  /** Resolve `pending` after this long instead of waiting for a decision. */
  waitTimeoutMs?: number;
  /**
   * The tool's `needsApproval` asks for this call: a human decides on Countersign even when the policy
   * allows it (the gate's `requireApproval`). Every hook must pass the same value for the same call.
   */
  requireApproval?: boolean;
}

/**
 * Builds the gate input for one call. Every hook (execute wrapper, toolApproval, chat helper) builds it
 * here, so checks of the same call send the same request body and resume the same request.
 */
export async function buildCheckInput(
  options: CountersignCallOptions,
  tool: Tool | undefined,
  call: ToolCallInfo,
  extras: CheckExtras = {},
): Promise<GateCheckInput> {
  if (!isJsonObject(call.input)) {
    throw new CountersignError('validation_failed', {
      message: `The input of tool "${call.toolName}" is not a JSON object`,
    });
  }
  const runId = runIdFor(options, call);
  const context = typeof options.context === 'function' ? options.context(call) : options.context;
  const action = options.action?.(call);
  const annotations = options.annotations?.[call.toolName];
  const inputSchema = tool === undefined ? undefined : await inputJsonSchema(tool);
  // The tool's own `metadata.countersign.preview`: how the reviewer sees the call.
  const preview = toolPreview(call.toolName, tool?.metadata);
  return {
    toolName: call.toolName,
    args: call.input,
    toolCallId: call.toolCallId,
    ...(runId === undefined ? {} : { runId }),
    ...(context === undefined ? {} : { context }),
    ...(action === undefined ? {} : { action }),
    ...(annotations === undefined ? {} : { annotations }),
    ...(inputSchema === undefined ? {} : { inputSchema }),
    ...(preview === undefined ? {} : { preview }),
    validateArgs:
      tool === undefined
        ? () => {
            throw new Error(
              `Tool "${call.toolName}" is not in the tool set; edited arguments refused`,
            );
          }
        : editedArgsValidator(tool, call.toolName),
    ...(extras.signal === undefined ? {} : { signal: extras.signal }),
    ...(extras.waitTimeoutMs === undefined ? {} : { waitTimeoutMs: extras.waitTimeoutMs }),
    ...(extras.requireApproval === true ? { requireApproval: true } : {}),
  };
}

/**
 * Asks the gate about one call and never throws: anything that goes wrong (bad input, the gate failing)
 * becomes a denial, so the tool does not run (fail closed).
 */
export async function checkCall(
  options: ResolvedCallOptions<CountersignCallOptions>,
  tool: Tool | undefined,
  call: ToolCallInfo,
  extras: CheckExtras = {},
): Promise<GateDecision> {
  let input: GateCheckInput;
  try {
    input = await buildCheckInput(options, tool, call, extras);
  } catch (error) {
    return {
      outcome: 'deny',
      reason: 'invalid',
      message: `Countersign could not check this call: ${errorText(error)}. The tool did not run.`,
      cause: error,
    };
  }
  try {
    return await options.gate.check(input);
  } catch (error) {
    const aborted = extras.signal?.aborted === true;
    return {
      outcome: 'deny',
      reason: aborted ? 'aborted' : 'unavailable',
      message: aborted
        ? 'The call was aborted while waiting for approval. The tool did not run.'
        : `Countersign is unavailable (${errorText(error)}), so the tool did not run. Try again later.`,
      cause: error,
    };
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
