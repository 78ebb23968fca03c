import { randomUUID } from 'node:crypto';
import type { GateCheckInput, GateDecision } from '@countersign/core';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { type Logger, silentLogger } from '../shared/logger.js';
import { type HandlerExtra, startProgressHeartbeat } from '../shared/progress-heartbeat.js';
import { errorMessage } from '../shared/startup-error.js';
import type { ProxiedTool } from '../upstream/upstream-set.js';
import { ApprovedCallExecutor } from './approved-call-executor.js';
import { elicitApproval } from './elicit-approval.js';
import type { PendingCallState } from './pending-call-store.js';
import type { ResolvedProxyOptions, ToolGate } from './proxy-options.js';
import { createArgsValidator, pendingResult, respondResult, textResult } from './tool-results.js';
import { upstreamPreview } from './upstream-preview.js';

type Args = Record<string, unknown>;
/** Denials that are final; `unavailable` and `aborted` are not, so a later check can re-attach. */
const FINAL_DENIALS = new Set(['policy', 'rejected', 'expired', 'cancelled', 'invalid']);

/** Applies the gate to proxied calls and to `check_request`, shared by every downstream session. */
export class GatedCallRunner {
  readonly #options: ResolvedProxyOptions;
  readonly #executor: ApprovedCallExecutor;
  readonly #logger: Logger;
  readonly #runId: string;
  readonly #maxWaitMs: number;
  readonly #intervalMs: number;

  constructor(options: ResolvedProxyOptions) {
    this.#options = options;
    this.#logger = options.logger ?? silentLogger;
    this.#executor = new ApprovedCallExecutor(options.upstreams, options.store, this.#logger);
    this.#runId = options.runId ?? `mcp-proxy-${randomUUID()}`;
    this.#maxWaitMs = options.maxWaitMs ?? 50_000;
    this.#intervalMs = options.progressIntervalMs ?? 10_000;
  }

  /** One `tools/call` from the model. */
  async call(
    name: string,
    args: Args,
    extra: HandlerExtra,
    server: Server,
  ): Promise<CallToolResult> {
    const tool = await this.#options.upstreams.find(name);
    if (!tool) return textResult(`Unknown tool "${name}".`, true);
    const input = this.#input(tool, args, randomUUID(), this.#runId, extra, server);
    const local = await this.#askInClient(tool, input, extra, server);
    return local ?? this.#decide(tool, input, extra);
  }

  /** `check_request`: re-attaches to the request behind an earlier pending call. */
  async checkRequest(
    requestId: string,
    extra: HandlerExtra,
    server: Server,
  ): Promise<CallToolResult> {
    const record = this.#options.store.get(requestId);
    if (!record) {
      return textResult(`No call with request id "${requestId}" went through this proxy.`, true);
    }
    const earlier = this.#executor.settled(requestId);
    if (earlier) return earlier;
    if (record.state === 'done' && record.result) return record.result;
    const tool = await this.#options.upstreams.find(record.toolName);
    if (!tool) {
      return textResult(`${record.toolName} is no longer offered upstream; nothing was run.`, true);
    }
    const input = this.#input(tool, record.args, record.toolCallId, record.runId, extra, server);
    return this.#decide(tool, input, extra);
  }

  async #askInClient(
    tool: ProxiedTool,
    input: GateCheckInput,
    extra: HandlerExtra,
    server: Server,
  ): Promise<CallToolResult | undefined> {
    let verdict: ReturnType<ToolGate['evaluate']>;
    try {
      verdict = this.#options.gate.evaluate(input);
    } catch {
      // gate.check evaluates again and fails closed with a message for the model.
      return undefined;
    }
    if (verdict.action !== 'require') return undefined;
    const channel = verdict.approval?.channel ?? this.#options.defaultChannel ?? 'server';
    if (channel === 'server') return undefined;
    const stop = this.#heartbeat(extra, `Waiting for your confirmation of ${tool.exposedName}`);
    const answer = await elicitApproval(server, {
      toolName: tool.exposedName,
      args: input.args,
      timeoutMs: 10 * 60_000,
      signal: extra.signal,
    }).finally(stop);
    if (answer.outcome === 'unsupported') {
      this.#logger.info(
        `client cannot elicit; asking the Countersign server for ${tool.exposedName}`,
      );
      return undefined;
    }
    if (answer.outcome === 'declined') return textResult(answer.message, true);
    return channel === 'elicit' ? this.#forward(tool, input.args, extra) : undefined;
  }

  async #decide(
    tool: ProxiedTool,
    input: GateCheckInput,
    extra: HandlerExtra,
  ): Promise<CallToolResult> {
    const stop = this.#heartbeat(extra, `Waiting for a human decision on ${tool.exposedName}`);
    let decision: GateDecision;
    try {
      decision = await this.#options.gate.check(input);
    } catch (error) {
      // The gate fails closed by itself; this guards against a gate bug letting a call through.
      return textResult(`${tool.exposedName} did not run: ${errorMessage(error)}`, true);
    } finally {
      stop();
    }
    switch (decision.outcome) {
      case 'allow':
        if (decision.requestId === undefined) return this.#forward(tool, input.args, extra);
        await this.#remember(decision.requestId, tool, input, 'pending');
        return this.#executor.execute(decision.requestId, tool, decision.args);
      case 'deny': {
        const result = textResult(decision.message, true);
        if (decision.requestId !== undefined && FINAL_DENIALS.has(decision.reason)) {
          await this.#remember(decision.requestId, tool, input, 'done', result);
        }
        return result;
      }
      case 'respond': {
        const result = respondResult(tool.tool, decision.response, decision.message);
        await this.#remember(decision.requestId, tool, input, 'done', result);
        return result;
      }
      case 'pending':
        await this.#remember(decision.requestId, tool, input, 'pending');
        return pendingResult(tool.tool, decision.requestId);
    }
  }

  async #forward(tool: ProxiedTool, args: Args, extra: HandlerExtra): Promise<CallToolResult> {
    try {
      return await this.#options.upstreams.call(tool, args, { signal: extra.signal });
    } catch (error) {
      return textResult(`${tool.exposedName} failed upstream: ${errorMessage(error)}`, true);
    }
  }

  async #remember(
    requestId: string,
    tool: ProxiedTool,
    input: GateCheckInput,
    state: PendingCallState,
    result?: CallToolResult,
  ): Promise<void> {
    const call = {
      toolName: tool.exposedName,
      args: input.args,
      toolCallId: input.toolCallId!,
      runId: input.runId!,
    };
    await this.#options.store
      .remember({ requestId, ...call, state, result })
      .catch((error) =>
        this.#logger.error(`cannot save request ${requestId}: ${errorMessage(error)}`),
      );
  }

  #input(
    tool: ProxiedTool,
    args: Args,
    toolCallId: string,
    runId: string,
    extra: HandlerExtra,
    server: Server,
  ): GateCheckInput {
    const client = server.getClientVersion();
    return {
      toolName: tool.exposedName,
      args,
      toolCallId,
      runId,
      context: { ...this.#options.context, ...(client ? { mcpClient: client.name } : {}) },
      annotations: tool.tool.annotations,
      inputSchema: tool.tool.inputSchema as Record<string, unknown>,
      ...upstreamPreview(tool, this.#logger),
      validateArgs: createArgsValidator(tool.tool),
      signal: extra.signal,
      waitTimeoutMs: this.#maxWaitMs,
    };
  }

  #heartbeat(extra: HandlerExtra, message: string): () => void {
    return startProgressHeartbeat(extra, { intervalMs: this.#intervalMs, message });
  }
}
