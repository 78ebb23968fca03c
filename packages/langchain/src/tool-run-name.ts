import type { Serialized } from '@langchain/core/load/serializable';
import { AIMessage } from '@langchain/core/messages';

interface ToolCallLike {
  id: string;
  name: string;
}

/**
 * The tool calls a chain run was started with, by its run id, until it ends: a tools node (the
 * `ToolNode` of `createAgent` or of a graph) is started with the state holding the model's tool
 * calls, and each tool it runs is a child of that run. `handleToolStart` gets only the tool call's
 * id, so this is where the name the tools node picked the tool by is found.
 */
export class DispatchedToolCalls {
  private readonly byRun = new Map<string, ToolCallLike[]>();

  record(runId: string, inputs: unknown): void {
    const calls = toolCallsIn(inputs);
    if (calls.length > 0) this.byRun.set(runId, calls);
  }

  forget(runId: string): void {
    this.byRun.delete(runId);
  }

  /** The names the parent run's tool calls with this id carry (more than one is a conflict). */
  namesOf(parentRunId: string | undefined, toolCallId: string | undefined): string[] {
    if (parentRunId === undefined || toolCallId === undefined) return [];
    const calls = this.byRun.get(parentRunId) ?? [];
    return [...new Set(calls.filter((call) => call.id === toolCallId).map((call) => call.name))];
  }
}

function toolCallsIn(inputs: unknown): ToolCallLike[] {
  if (typeof inputs !== 'object' || inputs === null) return [];
  // createAgent sends each tool call to its tools node as `lg_tool_call`, beside the state.
  const sent = toolCallOf((inputs as { lg_tool_call?: unknown }).lg_tool_call);
  const messages = Array.isArray(inputs) ? inputs : (inputs as { messages?: unknown }).messages;
  // A ToolNode runs the tool calls of the last AI message (as `ToolNode.run` reads them).
  const lastAi = Array.isArray(messages) ? messages.findLast(AIMessage.isInstance) : undefined;
  const calls = (lastAi?.tool_calls ?? []).map(toolCallOf);
  return [sent, ...calls].filter((call) => call !== undefined);
}

function toolCallOf(value: unknown): ToolCallLike | undefined {
  const call = value as { id?: unknown; name?: unknown } | null | undefined;
  return typeof call?.id === 'string' && typeof call.name === 'string'
    ? { id: call.id, name: call.name }
    : undefined;
}

/** What `handleToolStart` learns about which tool is starting. */
export interface ToolRunNaming {
  serialized: Serialized;
  runName?: string | undefined;
  /** The names of the tool call being run, as the dispatching tools node had it. */
  callNames: string[];
  /**
   * The LangGraph node whose run name the tool got as its own: LangGraph names each node's run after
   * the node and, when the graph has no callbacks (the handler is on the tool only), nothing starts
   * a child run that would drop it, so it reaches the tool. The run name is then not the tool's.
   */
  outsideNode?: string | undefined;
}

/** The name to gate under, or why there is none. */
export type ToolRunName = { name: string } | { problem: string };

/**
 * The tool's own name, from the sources that carry it: a name in the serialized tool (a
 * serializable tool's own field), the run name (which `tool()`, `DynamicStructuredTool` and
 * `DynamicTool` set to their name when the caller did not set one) and the tool call the tools node
 * picked the tool by. The class name LangChain serializes a tool under is never one: a
 * `StructuredTool` subclass named `transfer` is reported as `TransferTool`, and gating under that
 * would miss the rules for `transfer`. So no source, or sources that disagree, is a problem: the
 * handler blocks the call rather than guess.
 */
export function toolRunName(naming: ToolRunNaming): ToolRunName {
  const { serialized, callNames, outsideNode } = naming;
  const runName = outsideNode === undefined ? naming.runName : undefined;
  const sources = [
    ...serializedNames(serialized).map((name) => ({ name, from: 'the serialized tool' })),
    ...(runName ? [{ name: runName, from: 'the run name' }] : []),
    ...callNames.map((name) => ({ name, from: 'the tool call' })),
  ];
  const names = new Set(sources.map((source) => source.name));
  const [only] = names;
  if (names.size === 1 && only !== undefined) return { name: only };
  const className = classNameOf(serialized);
  if (names.size > 1) {
    const named = sources.map((source) => `${source.from} names it "${source.name}"`).join(', ');
    return {
      problem: `Countersign could not tell which tool this ${className} is: ${named}, so it did not run.`,
    };
  }
  if (outsideNode !== undefined) {
    return {
      problem:
        `Countersign could not tell which tool this ${className} is: it runs in the graph node ` +
        `"${outsideNode}", whose run the handler is not part of, so its run name is the node's. ` +
        "It did not run. Pass the handler in the run's callbacks " +
        '(`agent.invoke(input, { callbacks: [handler] })`), not on the tool.',
    };
  }
  return {
    problem:
      `Countersign could not tell which tool this is: LangChain reported it only by its class ` +
      `name (${className}), which is not its tool name, so it did not run. Invoke it with ` +
      '`runName` set to its name, run it from a tools node that has the handler, or gate it ' +
      'with countersignMiddleware or withApproval.',
  };
}

function serializedNames(serialized: Serialized): string[] {
  const own = (serialized as { name?: unknown }).name;
  const field = (serialized as { kwargs?: { name?: unknown } }).kwargs?.name;
  return [own, field].filter((name): name is string => typeof name === 'string' && name !== '');
}

function classNameOf(serialized: Serialized): string {
  const id = (serialized as { id?: unknown }).id;
  return Array.isArray(id) && id.length > 0 ? String(id.at(-1)) : 'tool';
}
