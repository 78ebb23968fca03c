import {
  beginReported,
  endReported,
  runReported,
  type ToolApprovalInfo,
  withApprovalOf,
} from '@countersign/core/adapter';
import type { Tool, ToolExecutionOptions, ToolSet } from 'ai';
import { checkCall } from './check-call.js';
import { type DeniedToolResult, deniedToolResult } from './denial.js';
import {
  type CountersignCallOptions,
  type ResolvedCallOptions,
  resolveCallOptions,
  type ToolCallInfo,
} from './gate-options.js';
import { toolNeedsApproval } from './needs-approval.js';

/** Marks tools wrapped by {@link withApproval}; the toolApproval bridge lets edits through only to them. */
export const COUNTERSIGN_WRAPPED = Symbol.for('countersign.ai-sdk.wrapped');

/** Options for {@link withApproval}. */
export interface WithApprovalOptions extends CountersignCallOptions {
  /**
   * Which calls go to the gate. `true` (default): every call (the gate's policy then decides);
   * `false`: none; a function: the calls it returns true for; the others run without asking.
   */
  require?: boolean | ((input: unknown, call: ToolCallInfo) => boolean | Promise<boolean>);
  /** The tool's name, required when wrapping a single tool (a tool set supplies its own keys). */
  name?: string;
}

/**
 * Wraps a tool set (or one tool) so each `execute` asks Countersign first and runs only when allowed:
 * allowed → runs (with the human-edited arguments when a reviewer edited them, re-validated by the tool's
 * `inputSchema` and re-checked by the policy); denied → returns a {@link DeniedToolResult} the model reads;
 * answered → the reviewer's answer is the result. Anything going wrong denies the call (fail closed).
 *
 * Passes the SDK's `toolCallId`, the run id (option or `toolContext.runId`) and `abortSignal` to the gate.
 * Tools without `execute` (client-side tools) are returned unchanged.
 *
 * @example
 * const tools = withApproval({ transfer_funds, get_balance }, { gate: createGate({ policy, service }) });
 */
export function withApproval<TOOLS extends ToolSet>(
  tools: TOOLS,
  options: WithApprovalOptions,
): TOOLS;
export function withApproval<TOOL extends Tool>(
  tool: TOOL,
  options: WithApprovalOptions & { name: string },
): TOOL;
export function withApproval(target: ToolSet | Tool, options: WithApprovalOptions): ToolSet | Tool {
  const single = isSingleTool(target);
  const problems: string[] = [];
  const require = options?.require ?? true;
  if (typeof require !== 'boolean' && typeof require !== 'function') {
    problems.push('require must be a boolean or a function');
  }
  if (single && (typeof options?.name !== 'string' || options.name.length === 0)) {
    problems.push('name is required when wrapping a single tool');
  }
  if (!single && (typeof target !== 'object' || target === null)) {
    problems.push('the first argument must be a tool or a tool set');
  }
  const resolved = resolveCallOptions(options, 'withApproval', problems);
  if (single) return wrapTool(options.name as string, target, resolved);
  const wrapped: ToolSet = {};
  for (const [name, tool] of Object.entries(target)) wrapped[name] = wrapTool(name, tool, resolved);
  return wrapped;
}

/** True when the tool was wrapped by {@link withApproval}. */
export function isWrappedTool(tool: unknown): boolean {
  return typeof tool === 'object' && tool !== null && COUNTERSIGN_WRAPPED in tool;
}

function isSingleTool(value: unknown): value is Tool {
  if (typeof value !== 'object' || value === null) return false;
  return 'inputSchema' in value || typeof (value as { execute?: unknown }).execute === 'function';
}

function wrapTool<T extends Tool>(
  name: string,
  tool: T,
  options: ResolvedCallOptions<WithApprovalOptions>,
): T {
  const execute = tool.execute;
  if (typeof execute !== 'function' || isWrappedTool(tool)) return tool;

  // Decides whether the call may run, and with which input; or what to return instead.
  const decide = async (input: unknown, execution: ToolExecutionOptions<unknown>) => {
    const call: ToolCallInfo = {
      toolName: name,
      toolCallId: execution.toolCallId,
      input,
      toolContext: execution.context,
    };
    const require = options.require ?? true;
    let required: boolean;
    try {
      required = typeof require === 'function' ? await require(input, call) : require;
    } catch (error) {
      const message = `Countersign could not decide whether "${name}" needs approval (${String(error)}); the tool did not run.`;
      return { run: false as const, result: { denied: true, reason: 'invalid', message } };
    }
    if (!required) return { run: true as const, input, decision: undefined };
    // Same `requireApproval` as the toolApproval bridge, so both resume the same request (and its edits).
    const decision = await checkCall(options, tool, call, {
      requireApproval: await toolNeedsApproval(tool, call, execution.messages ?? []),
      ...(execution.abortSignal ? { signal: execution.abortSignal } : {}),
    });
    switch (decision.outcome) {
      case 'allow':
        return { run: true as const, input: decision.args, decision };
      case 'respond':
        return { run: false as const, result: decision.response };
      case 'deny':
        return { run: false as const, result: deniedToolResult(decision) };
      default:
        // `pending` comes back only when the gate has a default wait timeout: the call does not run.
        return {
          run: false as const,
          result: {
            denied: true,
            reason: 'pending',
            message: decision.message,
            requestId: decision.requestId,
          } satisfies DeniedToolResult,
        };
    }
  };

  const streaming = Object.prototype.toString.call(execute) === '[object AsyncGeneratorFunction]';
  const gate = options.gate;
  const wrappedExecute = streaming
    ? async function* (input: unknown, execution: ToolExecutionOptions<unknown>) {
        const verdict = await decide(input, execution);
        if (!verdict.run) {
          yield verdict.result;
          return;
        }
        const { decision } = verdict;
        if (decision === undefined) {
          yield* execute.call(tool, verdict.input as never, execution) as AsyncIterable<unknown>;
          return;
        }
        const refused = await beginReported(gate, decision);
        if (refused) {
          yield deniedToolResult(refused);
          return;
        }
        try {
          yield* execute.call(
            tool,
            verdict.input as never,
            withApprovalOf(execution, decision),
          ) as AsyncIterable<unknown>;
        } catch (error) {
          await endReported(gate, decision, { error });
          throw error;
        }
        await endReported(gate, decision);
      }
    : async (input: unknown, execution: ToolExecutionOptions<unknown>) => {
        const verdict = await decide(input, execution);
        if (!verdict.run) return verdict.result;
        const { decision } = verdict;
        if (decision === undefined) {
          return lastValue(await execute.call(tool, verdict.input as never, execution));
        }
        const run = await runReported(gate, decision, async () =>
          lastValue(
            await execute.call(tool, verdict.input as never, withApprovalOf(execution, decision)),
          ),
        );
        return run.ran ? run.value : deniedToolResult(run.denial);
      };
  return Object.defineProperty({ ...tool, execute: wrappedExecute }, COUNTERSIGN_WRAPPED, {
    value: true,
    enumerable: true,
  }) as T;
}

/** The execute options an approved call's tool gets: the SDK's own plus `countersign`. */
export type ApprovedToolExecutionOptions<CONTEXT = unknown> = ToolExecutionOptions<CONTEXT> & {
  /**
   * The approval of this call, with its signed receipt; absent when the policy allowed the call
   * without asking a human. Read it with `approvalOf(options)`.
   */
  countersign?: ToolApprovalInfo;
};

// A plain function that returns an async iterable cannot stream through an async wrapper: keep its final value.
async function lastValue(result: unknown): Promise<unknown> {
  if (typeof result !== 'object' || result === null || !(Symbol.asyncIterator in result))
    return result;
  let last: unknown;
  for await (const value of result as AsyncIterable<unknown>) last = value;
  return last;
}
