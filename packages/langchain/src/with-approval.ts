import { definePolicy, type JsonObject, type PolicyDefinition } from '@countersign/core';
import {
  type AdapterGate,
  type GateSourceOptions,
  invalidOptions,
  isJsonObject,
  resolveGate,
  runReported,
  withApprovalOf,
} from '@countersign/core/adapter';
import type { CallbackManagerForToolRun } from '@langchain/core/callbacks/manager';
import { ToolMessage } from '@langchain/core/messages';
import {
  StructuredTool,
  type StructuredToolInterface,
  type ToolRunnableConfig,
} from '@langchain/core/tools';
import { decideToolCall, waitTimeoutProblems } from './gate-call.js';
import { threadIdOf } from './middleware.js';
import type { FinalDecision } from './pending.js';
import { denialToolMessage, editNote, prependNote, responseToolMessage } from './tool-messages.js';

/** How a `require` wrapper asks: the `approval` block of a policy rule. */
export type ApprovalSettings = NonNullable<PolicyDefinition['approval']>;

/** Options for {@link withApproval}. */
export interface WithApprovalOptions extends GateSourceOptions {
  /**
   * Ask without a policy file: `true` asks on every call, a predicate asks when it returns true
   * (and runs the tool directly otherwise). Give either this or `policy`/`gate`.
   */
  require?: boolean | ((args: JsonObject) => boolean | Promise<boolean>);
  /** With `require`: who is asked, the timeout, the quorum (a policy rule's `approval` block). */
  approval?: ApprovalSettings;
  /** What the policy and the reviewer see besides the call. */
  context?: JsonObject | ((args: JsonObject, config: ToolRunnableConfig) => JsonObject | undefined);
  /**
   * Durable runs inside a LangGraph agent: wait at most this long, then pause the run with an
   * `interrupt` (see `resumeCountersign`). Default: block until decided.
   */
  waitTimeoutMs?: number;
}

type AnyTool = StructuredToolInterface;

/**
 * Wraps a LangChain tool so each call asks Countersign and runs only when approved. The wrapper
 * keeps the tool's name, description and schema, so the model sees the same tool.
 *
 * Denied → the tool returns the model-facing denial (an error `ToolMessage` inside an agent) and
 * does not run; edited → it runs with the human's arguments, validated by its own schema;
 * answered → the human's answer is the result.
 *
 * @example
 * const guarded = withApproval(transferFunds, { require: (args) => args.amount > 100 });
 */
export function withApproval<T extends AnyTool>(tool: T, options: WithApprovalOptions = {}): T {
  const isTool = tool !== null && typeof tool === 'object' && typeof tool.invoke === 'function';
  if (!isTool)
    throw invalidOptions('withApproval', ['the first argument must be a LangChain tool']);
  const gate = gateFor(options, `withApproval(${tool.name})`);
  return new ApprovalTool(tool, gate, options) as unknown as T;
}

function gateFor(options: WithApprovalOptions, owner: string): AdapterGate {
  const problems = waitTimeoutProblems(options?.waitTimeoutMs);
  if (options?.require === undefined) {
    if (options?.approval !== undefined) problems.push('approval only applies with require');
    return resolveGate(options, owner, { problems });
  }
  if (typeof options.require !== 'boolean' && typeof options.require !== 'function') {
    problems.push('require must be a boolean or a function');
  }
  if (options.gate !== undefined || options.policy !== undefined) {
    problems.push('give either require or policy/gate, not both');
  }
  if (problems.length > 0) throw invalidOptions(owner, problems);
  // `require` asks on every call it selects: a policy that requires by default, with these settings.
  const policy = definePolicy({
    version: 1,
    default: 'require',
    ...(options.approval === undefined ? {} : { approval: options.approval }),
  });
  return resolveGate(
    {
      policy,
      service: options.service,
      ...(options.onDecision === undefined ? {} : { onDecision: options.onDecision }),
    },
    owner,
  );
}

function predicateFailed(toolName: string, error: unknown): FinalDecision {
  const detail = error instanceof Error ? `: ${error.message}` : '';
  return {
    outcome: 'deny',
    reason: 'invalid',
    cause: error,
    message: `Could not decide whether ${toolName} needs approval${detail}, so the tool did not run.`,
  };
}

class ApprovalTool extends StructuredTool {
  name: string;
  description: string;
  schema: AnyTool['schema'];

  constructor(
    private readonly inner: AnyTool,
    private readonly gate: AdapterGate,
    private readonly options: WithApprovalOptions,
  ) {
    super({ responseFormat: 'content' });
    this.name = inner.name;
    this.description = inner.description;
    this.schema = inner.schema;
    this.returnDirect = inner.returnDirect;
  }

  protected override async _call(
    parsed: unknown,
    runManager?: CallbackManagerForToolRun,
    config: ToolRunnableConfig = {},
  ): Promise<unknown> {
    const toolCall = config.toolCall;
    // The gate sees what the model sent, not the schema's parsed output.
    const args = toolCall?.args ?? parsed;
    const childConfig: ToolRunnableConfig = { ...config, callbacks: runManager?.getChild() };
    if (isJsonObject(args)) {
      const asks = await this.asks(args).catch((error: unknown) => error);
      if (asks === false) return this.run(args, childConfig);
      if (asks !== true) return this.act(predicateFailed(this.name, asks), {}, childConfig);
    }
    const decision = await decideToolCall(this.gate, {
      toolName: this.name,
      args,
      toolCallId: toolCall?.id ?? (config as { toolCallId?: string }).toolCallId,
      runId: threadIdOf(config.configurable),
      context: this.contextFor(args, config),
      tool: this.inner,
      signal: config.signal,
      waitTimeoutMs: this.options.waitTimeoutMs,
    });
    return this.act(decision, args as JsonObject, childConfig);
  }

  private async act(
    decision: FinalDecision,
    original: JsonObject,
    config: ToolRunnableConfig,
  ): Promise<unknown> {
    const call = { id: config.toolCall?.id, name: this.name };
    if (decision.outcome === 'deny') {
      // An aborted run records no result for this call, so a later run can still ask again.
      if (decision.reason === 'aborted' && config.signal?.aborted) throw config.signal.reason;
      return call.id ? denialToolMessage(call, decision) : decision.message;
    }
    if (decision.outcome === 'respond') {
      return call.id ? responseToolMessage(call, decision) : decision.response;
    }
    const run = await runReported(this.gate, decision, () =>
      this.run(decision.args, withApprovalOf(config, decision)),
    );
    if (!run.ran) return call.id ? denialToolMessage(call, run.denial) : run.denial.message;
    const result = run.value;
    if (!decision.edited || !ToolMessage.isInstance(result)) return result;
    return prependNote(result, editNote(this.name, original, decision.args, decision.approvedBy));
  }

  private async asks(args: JsonObject): Promise<boolean> {
    const { require } = this.options;
    if (require === undefined || require === true) return true;
    if (require === false) return false;
    return (await require(args)) === true;
  }

  private contextFor(args: unknown, config: ToolRunnableConfig): JsonObject | undefined {
    const { context } = this.options;
    if (typeof context !== 'function') return context;
    return context(isJsonObject(args) ? args : {}, config);
  }

  // Invoked as a tool call when we were, so the inner tool builds its own ToolMessage (artifacts
  // included) and parses the arguments with its own schema.
  private run(args: JsonObject, config: ToolRunnableConfig): Promise<unknown> {
    const toolCall = config.toolCall;
    if (toolCall?.id) {
      return this.inner.invoke({ ...toolCall, args, type: 'tool_call' }, config);
    }
    return this.inner.invoke(args, config);
  }
}
