import { fingerprint, type GateCheckInput } from '@countersign/core';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { errorMessage } from '../shared/startup-error.js';
import type { ResolvedProxyOptions } from './proxy-options.js';

/** The requests besides `tools/call` a policy can gate; a rule names them like a tool. */
export type GatedKind = 'resources/read' | 'prompts/get';

/** A name no rule names on purpose: a rule that matches it matches every name. */
const UNNAMED = 'countersign.unnamed-kind';

/**
 * Applies the policy to `resources/read` and `prompts/get`. Only a rule whose `tools` names the
 * kind (`resources/read`, `prompts/*`, …) applies; everything else, the policy's default included,
 * lets the request through. Arguments: `{ uri }` or `{ name, arguments }`. Identical requests of
 * one run share one approval request, so asking again re-attaches to it.
 */
export class ReadGate {
  readonly #options: ResolvedProxyOptions;
  readonly #runId: string;

  constructor(options: ResolvedProxyOptions, runId: string) {
    this.#options = options;
    this.#runId = runId;
  }

  /** Resolves with the arguments to use (a reviewer may have edited them), or throws an McpError. */
  async admit(
    kind: GatedKind,
    args: Record<string, unknown>,
    signal: AbortSignal,
    clientName: string | undefined,
  ): Promise<Record<string, unknown>> {
    const { gate } = this.#options;
    let input: GateCheckInput;
    try {
      input = {
        toolName: kind,
        args,
        runId: this.#runId,
        toolCallId: `${kind}:${fingerprint(kind, args)}`,
        context: { ...this.#options.context, ...(clientName ? { mcpClient: clientName } : {}) },
        signal,
        waitTimeoutMs: this.#options.maxWaitMs ?? 50_000,
      };
      const named = gate.evaluate(input);
      const any = gate.evaluate({ ...input, toolName: UNNAMED });
      if (named.rule === undefined || named.rule === any.rule || named.action === 'allow') {
        return args;
      }
    } catch (error) {
      throw new McpError(ErrorCode.InvalidRequest, `${kind} refused: ${errorMessage(error)}`);
    }
    const decision = await gate.check(input);
    switch (decision.outcome) {
      case 'allow':
        return decision.args;
      case 'pending':
        throw new McpError(
          ErrorCode.InvalidRequest,
          `${kind} waits for human approval (Countersign request ${decision.requestId}); ` +
            'ask again later with the same arguments.',
        );
      case 'respond':
        throw new McpError(
          ErrorCode.InvalidRequest,
          `${decision.message} ${JSON.stringify(decision.response)}`,
        );
      case 'deny':
        throw new McpError(ErrorCode.InvalidRequest, decision.message);
    }
  }
}
