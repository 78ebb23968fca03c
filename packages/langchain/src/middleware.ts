import { CountersignError, type JsonObject } from '@countersign/core';
import {
  type GateSourceOptions,
  isJsonObject,
  resolveGate,
  runReported,
} from '@countersign/core/adapter';
import { ToolMessage } from '@langchain/core/messages';
import { createMiddleware, type ToolCallRequest } from 'langchain';
import { toolWithApproval } from './approval-config.js';
import { decideToolCall, waitTimeoutProblems } from './gate-call.js';
import { denialToolMessage, editNote, prependNote, responseToolMessage } from './tool-messages.js';
import type { SchemaBearingTool } from './tool-schema.js';

/** Options for {@link countersignMiddleware}. */
export interface CountersignMiddlewareOptions extends GateSourceOptions {
  /**
   * What the policy (as `context`) and the reviewer see besides the call: a fixed object, or one
   * computed per call (for example from `request.runtime.context`).
   */
  context?: JsonObject | ((request: ToolCallRequest) => JsonObject | undefined);
  /**
   * The run id that, with the tool call id and the fingerprint, makes the request idempotent.
   * Default: the LangGraph `thread_id` from the run's `configurable`.
   */
  runId?: (request: ToolCallRequest) => string | undefined;
  /**
   * Durable runs: wait at most this long for a decision, then pause the run with a LangGraph
   * `interrupt` (needs a checkpointer and a `thread_id`) and resume later with
   * `resumeCountersign`. Default: block until the request is decided, expires or is cancelled.
   */
  waitTimeoutMs?: number;
  /** The middleware's name in the agent. Default `CountersignMiddleware`. */
  name?: string;
}

/**
 * A `createAgent` middleware that gates every tool call through Countersign by one policy.
 *
 * - denied (policy, rejected with the reviewer's reason, expired, cancelled, service down): the tool
 *   does not run and the model gets an error `ToolMessage` saying which, so it does not retry blindly;
 * - approved with edits: the tool runs with the human's arguments (re-validated by the tool's schema
 *   and re-checked by the policy) and the `ToolMessage` tells the model what changed;
 * - answered: the human's answer is the tool result.
 *
 * Parallel tool calls in one model turn are decided independently.
 *
 * @example
 * createAgent({ model, tools, middleware: [countersignMiddleware({ policy: await loadPolicy('countersign.yaml') })] })
 */
export function countersignMiddleware(options: CountersignMiddlewareOptions = {}) {
  const problems = waitTimeoutProblems(options?.waitTimeoutMs);
  const context = options?.context;
  if (context !== undefined && typeof context !== 'function' && !isJsonObject(context)) {
    problems.push('context must be a JSON object or a function returning one');
  }
  const gate = resolveGate(options, 'countersignMiddleware', { problems });
  const { runId } = options;

  return createMiddleware({
    name: options.name ?? 'CountersignMiddleware',
    wrapToolCall: async (request, handler) => {
      const { toolCall, runtime } = request;
      const call = { id: toolCall.id, name: toolCall.name };
      const decision = await decideToolCall(gate, {
        toolName: toolCall.name,
        args: toolCall.args,
        toolCallId: toolCall.id,
        runId: runId ? runId(request) : threadIdOf(runtime.configurable),
        context: typeof context === 'function' ? context(request) : context,
        tool: schemaBearing(request.tool),
        signal: runtime.signal,
        waitTimeoutMs: options.waitTimeoutMs,
      });
      if (decision.outcome === 'deny') {
        // An aborted run records no result for this call, so a later run can still ask again.
        if (decision.reason === 'aborted' && runtime.signal?.aborted)
          throw abortError(runtime.signal);
        return denialToolMessage(call, decision);
      }
      if (decision.outcome === 'respond') return responseToolMessage(call, decision);
      // Built once `executing` went through: the tool gets the receipt the server re-signed then.
      const run = await runReported(gate, decision, () =>
        handler({
          ...request,
          toolCall: decision.edited ? { ...toolCall, args: decision.args } : toolCall,
          ...(request.tool ? { tool: toolWithApproval(request.tool, decision) } : {}),
        }),
      );
      if (!run.ran) return denialToolMessage(call, run.denial);
      const result = run.value;
      if (!decision.edited || !ToolMessage.isInstance(result)) return result;
      const original = isJsonObject(toolCall.args) ? toolCall.args : {};
      return prependNote(
        result,
        editNote(toolCall.name, original, decision.args, decision.approvedBy),
      );
    },
  });
}

/** The LangGraph `thread_id` in a run's `configurable`, if it is a non-empty string. */
export function threadIdOf(configurable: unknown): string | undefined {
  if (!isJsonObject(configurable)) return undefined;
  const threadId = configurable.thread_id;
  return typeof threadId === 'string' && threadId.length > 0 ? threadId : undefined;
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error
    ? signal.reason
    : new CountersignError('aborted', {
        message: 'The agent run was aborted while waiting for approval',
      });
}

function schemaBearing(tool: unknown): SchemaBearingTool | undefined {
  if (!isJsonObject(tool)) return undefined;
  const candidate = tool as { name?: unknown; schema?: unknown; metadata?: unknown };
  if (typeof candidate.name !== 'string') return undefined;
  const metadata = isJsonObject(candidate.metadata) ? candidate.metadata : undefined;
  return { name: candidate.name, schema: candidate.schema, metadata };
}
