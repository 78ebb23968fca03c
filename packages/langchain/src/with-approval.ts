import {
  CountersignError,
  createGate,
  definePolicy,
  type JsonObject,
  type PolicyDefinition,
} from '@countersign/core';
import type { CallbackManagerForToolRun } from '@langchain/core/callbacks/manager';
import { ToolMessage } from '@langchain/core/messages';
import {
  StructuredTool,
  type StructuredToolInterface,
  type ToolRunnableConfig,
} from '@langchain/core/tools';
import { checkWaitTimeout, decideToolCall } from './gate-call.js';
import { type CountersignGate, type GateSourceOptions, resolveGate } from './gate-source.js';
import { threadIdOf } from './middleware.js';
import type { FinalDecision } from './pending.js';
import { denialToolMessage, editNote, prependNote, responseToolMessage } from './tool-messages.js';
import { isPlainObject } from './tool-schema.js';

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
  const owner = `withApproval(${tool?.name})`;
  if (tool === null || typeof tool !== 'object' || typeof tool.invoke !== 'function') {
    throw new CountersignError('validation_failed', {
      message: 'withApproval: the first argument must be a LangChain tool',
    });
  }
  checkWaitTimeout(options.waitTimeoutMs, owner);
  const gate = gateFor(options, owner);
  return new ApprovalTool(tool, gate, options) as unknown as T;
}

function gateFor(options: WithApprovalOptions, owner: string): CountersignGate {
  if (options.require === undefined) {
    if (options.approval !== undefined) {
      throw new CountersignError('validation_failed', {
        message: `${owner}: \`approval\` only applies with \`require\``,
      });
    }
    return resolveGate(options, owner);
  }
  if (options.gate !== undefined || options.policy !== undefined) {
    throw new CountersignError('validation_failed', {
      message: `${owner}: give either \`require\` or \`policy\`/\`gate\`, not both`,
    });
  }
  const policy = definePolicy({
    version: 1,
    default: 'require',
    ...(options.approval === undefined ? {} : { approval: options.approval }),
  });
  return createGate({
    policy,
    ...(options.service === undefined ? {} : { service: options.service }),
  });
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
    private readonly gate: CountersignGate,
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
    if (isPlainObject(args)) {
      const asks = await this.asks(args as JsonObject).catch((error: unknown) => error);
      if (asks === false) return this.run(args as JsonObject, childConfig);
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
    const result = await this.run(decision.args, config);
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
    return context(isPlainObject(args) ? (args as JsonObject) : {}, config);
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
