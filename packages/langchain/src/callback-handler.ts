import { CountersignError, type JsonObject } from '@countersign/core';
import { type GateSourceOptions, resolveGate } from '@countersign/core/adapter';
import { BaseCallbackHandler } from '@langchain/core/callbacks/base';
import type { Serialized } from '@langchain/core/load/serializable';
import { decideToolCall } from './gate-call.js';
import { handlerRuns } from './handler-runs.js';
import type { FinalDecision } from './pending.js';
import { responseText } from './tool-messages.js';
import { DispatchedToolCalls, toolRunName } from './tool-run-name.js';

/** Options for {@link CountersignCallbackHandler}. */
export interface CountersignCallbackHandlerOptions extends GateSourceOptions {
  /** What the policy and the reviewer see besides the call. */
  context?: JsonObject;
}

/** Thrown from `handleToolStart` to stop a tool the gate did not allow. */
export class ToolBlockedError extends CountersignError {
  static override readonly errorName = 'ToolBlockedError';
  /** The gate's decision that blocked the tool. */
  readonly decision: FinalDecision;
  constructor(decision: FinalDecision, message: string) {
    super(
      decision.outcome === 'deny' && decision.reason === 'rejected' ? 'rejected' : 'forbidden',
      {
        message,
        ...(decision.outcome === 'deny' && decision.cause !== undefined
          ? { cause: decision.cause }
          : {}),
      },
    );
    this.decision = decision;
  }
}

/**
 * A callback-handler gate for code that cannot use the middleware (legacy agents, plain chains).
 * It really blocks: it is constructed with `raiseError: true`, which also makes LangChain await the
 * handler, so the tool waits for the decision and does not run unless allowed.
 *
 * An approved run is reported `executing` from `handleToolStart` (refused by the server: the tool
 * does not run) and `succeeded` / `failed` from `handleToolEnd` / `handleToolError`; the tool reads
 * its approval, with the signed receipt, with `approvalOf(config)`.
 *
 * Limits, by the nature of callbacks (prefer `countersignMiddleware` or `withApproval`):
 * - it can only stop a tool, not change what runs: a human edit is refused (the tool does not run
 *   and the model is told the reviewer wanted other arguments), and a human answer is delivered as
 *   the error text instead of a normal result;
 * - the model sees the denial as a tool error (`createAgent` turns it into
 *   `"Error: …\n Please fix your mistakes."`); elsewhere the error propagates to the caller;
 * - it cannot pause a durable run; it waits for the decision (or the request's deadline);
 * - the handler must be passed per run (`invoke(input, { callbacks: [handler] })`) or on the tool;
 *   setting `raiseError` on an existing handler instance does not work (see the notes);
 * - LangChain does not hand a callback the tool's `name` (a `StructuredTool` subclass arrives under
 *   its class name), so the handler takes it from the run name or from the tool call its tools
 *   node was started with, and blocks a tool it cannot name (see `toolRunName`).
 */
export class CountersignCallbackHandler extends BaseCallbackHandler {
  name = 'CountersignCallbackHandler';
  private readonly gate;
  private readonly context: JsonObject | undefined;
  private readonly dispatched = new DispatchedToolCalls();

  constructor(options: CountersignCallbackHandlerOptions = {}) {
    // raiseError in the constructor input (not as a field) is what turns awaitHandlers on.
    super({ raiseError: true });
    this.gate = resolveGate(options, 'CountersignCallbackHandler');
    this.context = options.context;
  }

  // Only the first three parameters: the declared order of the rest differs from LangChain's call.
  override handleChainStart(_chain: Serialized, inputs: unknown, runId: string): void {
    this.dispatched.record(runId, inputs);
  }

  override handleChainEnd(_outputs: unknown, runId: string): void {
    this.dispatched.forget(runId);
  }

  override handleChainError(_error: unknown, runId: string): void {
    this.dispatched.forget(runId);
  }

  override async handleToolStart(
    tool: Serialized,
    input: string,
    runId: string,
    parentRunId?: string,
    _tags?: string[],
    metadata?: Record<string, unknown>,
    runName?: string,
    toolCallId?: string,
  ): Promise<void> {
    const callNames = this.dispatched.namesOf(parentRunId, toolCallId);
    const node = metadata?.langgraph_node;
    // No parent run: nothing above the tool had callbacks to start a child run, so the run name of
    // the LangGraph node it runs in reached the tool unchanged.
    const leaked = parentRunId === undefined && typeof node === 'string' && runName === node;
    const named = toolRunName({
      serialized: tool,
      runName,
      callNames,
      outsideNode: leaked ? node : undefined,
    });
    if ('problem' in named) {
      const unnamed: FinalDecision = { outcome: 'deny', reason: 'invalid', message: named.problem };
      throw new ToolBlockedError(unnamed, named.problem);
    }
    const toolName = named.name;
    const decision = await decideToolCall(this.gate, {
      toolName,
      args: parseInput(input),
      toolCallId,
      runId: typeof metadata?.thread_id === 'string' ? metadata.thread_id : undefined,
      context: this.context,
    });
    const refused =
      decision.outcome === 'allow' && !decision.edited
        ? await handlerRuns.begin(runId, this.gate, decision)
        : decision;
    if (refused) throw new ToolBlockedError(refused, blockMessage(toolName, refused));
  }

  override async handleToolEnd(_output: unknown, runId: string): Promise<void> {
    await handlerRuns.end(runId);
  }

  override async handleToolError(error: unknown, runId: string): Promise<void> {
    await handlerRuns.end(runId, { error });
  }
}

function blockMessage(toolName: string, decision: FinalDecision): string {
  if (decision.outcome === 'deny') return decision.message;
  if (decision.outcome === 'respond') {
    return `${toolName} did not run: a human answered instead: ${responseText(decision.response)}`;
  }
  return (
    `${toolName} did not run: the reviewer approved it only with other arguments ` +
    `(${JSON.stringify(decision.args)}), which this gate cannot apply. Call it again with those arguments.`
  );
}

function parseInput(input: string): unknown {
  try {
    return JSON.parse(input);
  } catch {
    // A string tool's raw input: the gate refuses non-object arguments, failing closed.
    return input;
  }
}
