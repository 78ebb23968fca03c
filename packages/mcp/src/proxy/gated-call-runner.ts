import { randomUUID } from 'node:crypto';
import type { GateCheckInput, GateDecision } from '@countersign/core';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { CardConfirmations } from '../card/card-confirmations.js';
import { ApprovalPageOffer } from '../shared/approval-page.js';
import { type Logger, silentLogger } from '../shared/logger.js';
import { type HandlerExtra, startProgressHeartbeat } from '../shared/progress-heartbeat.js';
import { errorMessage } from '../shared/startup-error.js';
import type { ProxiedTool } from '../upstream/upstream-set.js';
import { ApprovedCallExecutor } from './approved-call-executor.js';
import { elicitApproval } from './elicit-approval.js';
import {
  type Args,
  type CallExtra,
  FINAL_DENIALS,
  FIRST_TASK_WAIT_MS,
  MAX_OPEN_CALLS,
  reattachKey,
  type Settled,
  type TaskCall,
  type TaskHooks,
} from './gated-call-types.js';
import type { PendingCallState } from './pending-call-store.js';
import type { ResolvedProxyOptions, ToolGate } from './proxy-options.js';
import { createArgsValidator, pendingResult, respondResult, textResult } from './tool-results.js';
import { upstreamPreview } from './upstream-preview.js';

/** Applies the gate to proxied calls and to `check_request`, shared by every downstream session. */
export class GatedCallRunner {
  readonly #options: ResolvedProxyOptions;
  readonly #executor: ApprovedCallExecutor;
  readonly #logger: Logger;
  readonly #runId: string;
  readonly #maxWaitMs: number;
  readonly #intervalMs: number;
  readonly #pages: ApprovalPageOffer;
  /** Open requests by call (tool and arguments), for {@link GatedCallRunner.call} to re-attach. */
  readonly #open = new Map<string, string>();

  constructor(options: ResolvedProxyOptions) {
    this.#options = options;
    this.#logger = options.logger ?? silentLogger;
    this.#executor = new ApprovedCallExecutor(
      options.upstreams,
      options.store,
      this.#logger,
      options.gate,
    );
    this.#runId = options.runId ?? `mcp-proxy-${randomUUID()}`;
    this.#maxWaitMs = options.maxWaitMs ?? 50_000;
    this.#intervalMs = options.progressIntervalMs ?? 10_000;
    this.#pages = new ApprovalPageOffer(options.publicUrl, this.#logger);
  }

  /** Calls waiting for the user in the client, which the approval card can answer too. */
  readonly cardConfirmations = new CardConfirmations();

  /** The run id sent with every request of this proxy. */
  get runId(): string {
    return this.#runId;
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
    const key = reattachKey(tool.exposedName, args);
    const toolCallId = (key && this.#open.get(key)) ?? randomUUID();
    const input = this.#input(tool, args, toolCallId, this.#runId, extra, server);
    const local = await this.#askInClient(tool, input, extra, server);
    if (local) return local;
    const settled = await this.#settleOffering(tool, input, extra, server);
    if (key) this.#rememberOpen(key, toolCallId, settled);
    return settled.pending
      ? pendingResult(tool.tool, settled.pending, this.#options.publicUrl)
      : settled.result;
  }

  /**
   * An identical later call (same run, same arguments) of a call whose request is still open
   * (pending, or given up by a cancelled client) re-attaches to that request instead of asking again.
   */
  #rememberOpen(key: string, toolCallId: string, settled: Settled): void {
    this.#open.delete(key);
    if (!settled.pending && !settled.open) return;
    this.#open.set(key, toolCallId);
    if (this.#open.size > MAX_OPEN_CALLS) this.#open.delete(this.#open.keys().next().value!);
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
    const settled = await this.#settleOffering(tool, input, extra, server);
    return settled.pending
      ? pendingResult(tool.tool, settled.pending, this.#options.publicUrl)
      : settled.result;
  }

  /**
   * {@link GatedCallRunner.#settle}, offering the approval page to a client that can open links:
   * a short first wait learns the request, the page is offered, and the wait goes on.
   */
  async #settleOffering(
    tool: ProxiedTool,
    input: GateCheckInput,
    extra: CallExtra,
    server: Server,
  ): Promise<Settled> {
    let settled: Settled | undefined;
    if (this.#pages.supported(server)) {
      const first = { ...input, waitTimeoutMs: Math.min(FIRST_TASK_WAIT_MS, this.#maxWaitMs) };
      settled = await this.#settle(tool, first, extra);
      if (settled.pending) this.#pages.offer(server, settled.pending.id, tool.exposedName);
    }
    if (!settled || settled.pending) settled = await this.#settle(tool, input, extra);
    this.#offerOrComplete(server, tool, settled);
    return settled;
  }

  #offerOrComplete(server: Server, tool: ProxiedTool, settled: Settled): void {
    if (settled.pending) this.#pages.offer(server, settled.pending.id, tool.exposedName);
    else if (settled.requestId) this.#pages.complete(server, settled.requestId);
  }

  async #askInClient(
    tool: ProxiedTool,
    input: GateCheckInput,
    extra: CallExtra,
    server: Server,
    onAsking?: (asking: boolean) => void,
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
    onAsking?.(true);
    // The form in the client and the approval card (an MCP App) ask the same user: first answer wins.
    const asked = new AbortController();
    const endAsking = () => asked.abort();
    extra.signal.addEventListener('abort', endAsking, { once: true });
    const answer = await Promise.race([
      elicitApproval(server, {
        toolName: tool.exposedName,
        args: input.args,
        timeoutMs: 10 * 60_000,
        signal: asked.signal,
      }),
      this.cardConfirmations.wait(server, tool.exposedName, input.args, asked.signal),
    ]).finally(() => {
      extra.signal.removeEventListener('abort', endAsking);
      endAsking();
      stop();
      onAsking?.(false);
    });
    if (answer.outcome === 'unsupported') {
      this.#logger.info(
        `client cannot elicit; asking the Countersign server for ${tool.exposedName}`,
      );
      return undefined;
    }
    if (answer.outcome === 'declined') return textResult(answer.message, true);
    return channel === 'elicit' ? this.#forward(tool, input.args, extra) : undefined;
  }

  /** One gate decision: a final result, or the request still waiting for a human. */
  async #settle(
    tool: ProxiedTool,
    input: GateCheckInput,
    extra: CallExtra,
    beforeForward?: () => Promise<void>,
  ): Promise<Settled> {
    const stop = this.#heartbeat(extra, `Waiting for a human decision on ${tool.exposedName}`);
    let decision: GateDecision;
    try {
      decision = await this.#options.gate.check(input);
    } catch (error) {
      // The gate fails closed by itself; this guards against a gate bug letting a call through.
      return {
        result: textResult(`${tool.exposedName} did not run: ${errorMessage(error)}`, true),
      };
    } finally {
      stop();
    }
    switch (decision.outcome) {
      case 'allow':
        if (decision.requestId === undefined) {
          await beforeForward?.();
          return { result: await this.#forward(tool, input.args, extra) };
        }
        await this.#remember(decision.requestId, tool, input, 'pending');
        return {
          requestId: decision.requestId,
          result: await this.#executor.execute(decision.requestId, tool, decision),
        };
      case 'deny': {
        // Another caller here (a task and check_request after a restart) may have started this
        // approval a moment earlier: the server refuses a second start, and this caller shares
        // the one run's result.
        const running =
          decision.reason === 'already_ran' && decision.requestId !== undefined
            ? this.#executor.settled(decision.requestId)
            : undefined;
        if (running) return { requestId: decision.requestId, result: await running };
        const result = textResult(decision.message, true);
        if (decision.requestId !== undefined && FINAL_DENIALS.has(decision.reason)) {
          await this.#remember(decision.requestId, tool, input, 'done', result);
        }
        if (decision.requestId === undefined) return { result };
        return {
          result,
          requestId: decision.requestId,
          open: !FINAL_DENIALS.has(decision.reason),
        };
      }
      case 'respond': {
        const result = respondResult(tool.tool, decision.response, decision.message);
        await this.#remember(decision.requestId, tool, input, 'done', result);
        return { result, requestId: decision.requestId };
      }
      case 'pending':
        await this.#remember(decision.requestId, tool, input, 'pending');
        return { pending: decision.request };
    }
  }

  /**
   * Runs a call to its end for an MCP task: asks in the client when the rule says so, then waits
   * for the request, re-attaching (same run and call id) after every `maxWaitMs` until it is
   * decided, and runs it at most once. `signal` stops the wait (a cancelled task).
   */
  async settleTask(call: TaskCall, server: Server, hooks: TaskHooks): Promise<CallToolResult> {
    const tool = await this.#options.upstreams.find(call.toolName);
    if (!tool) {
      return textResult(`${call.toolName} is not offered upstream; nothing was run.`, true);
    }
    const extra: CallExtra = { signal: call.signal, sendNotification: async () => {} };
    const input = this.#input(tool, call.args, call.toolCallId, call.runId, extra, server);
    const local = await this.#askInClient(tool, input, extra, server, hooks.onAskingClient);
    if (local) return local;
    // The first wait is short, so the task names its request (and deadline) right away.
    let wait = Math.min(FIRST_TASK_WAIT_MS, this.#maxWaitMs);
    for (;;) {
      const attempt = { ...input, waitTimeoutMs: wait };
      wait = this.#maxWaitMs;
      const settled = await this.#settle(tool, attempt, extra, hooks.beforeForward);
      this.#offerOrComplete(server, tool, settled);
      if (!settled.pending) return settled.result;
      await hooks.onPending(settled.pending);
      if (call.signal.aborted) {
        return textResult(`${tool.exposedName} did not run: the task was cancelled.`, true);
      }
    }
  }

  async #forward(tool: ProxiedTool, args: Args, extra: CallExtra): Promise<CallToolResult> {
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
    extra: CallExtra,
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

  #heartbeat(extra: CallExtra, message: string): () => void {
    return startProgressHeartbeat(extra, { intervalMs: this.#intervalMs, message });
  }
}
