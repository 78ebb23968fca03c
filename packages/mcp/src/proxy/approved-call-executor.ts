import type { GateAllow } from '@countersign/core';
import { beginReported, endReported, type ReportingGate } from '@countersign/core/adapter';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '../shared/logger.js';
import { errorMessage } from '../shared/startup-error.js';
import type { ProxiedTool, UpstreamSet } from '../upstream/upstream-set.js';
import type { PendingCallStore } from './pending-call-store.js';
import { textResult } from './tool-results.js';

/**
 * The `_meta` key under which the proxy forwards an approved call's signed decision receipt to
 * the upstream server (verify it there with `verifyReceipt` from `@countersign/core`).
 */
export const RECEIPT_META_KEY = 'countersign/receipt';

/**
 * The receipt the proxy forwarded with a call, read from the call's `_meta` (in an MCP server's
 * tool callback: `extra._meta`); undefined when there is none.
 */
export function receiptFromMeta(meta: unknown): string | undefined {
  if (typeof meta !== 'object' || meta === null) return undefined;
  const value = (meta as Record<string, unknown>)[RECEIPT_META_KEY];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Runs an approved upstream call at most once per approval request: the first caller claims the
 * request, later or concurrent callers get the same (stored) result. A call left `executing` by a
 * crash is reported, never started again.
 */
export class ApprovedCallExecutor {
  readonly #inflight = new Map<string, Promise<CallToolResult>>();

  constructor(
    private readonly upstreams: UpstreamSet,
    private readonly store: PendingCallStore,
    private readonly logger: Logger,
    private readonly gate: ReportingGate,
  ) {}

  /** The result for `requestId` if it already ran (or is running), else undefined. */
  settled(requestId: string): Promise<CallToolResult> | undefined {
    const running = this.#inflight.get(requestId);
    if (running) return running;
    const record = this.store.get(requestId);
    if (record?.state === 'done' && record.result) return Promise.resolve(record.result);
    if (record?.state === 'executing') {
      return Promise.resolve(
        textResult(
          `The approved call ${record.toolName} for request ${requestId} was started before the proxy restarted; ` +
            'its outcome is unknown and it is not run again. Check the target system before retrying.',
          true,
        ),
      );
    }
    return undefined;
  }

  /**
   * Runs `tool` with the approved arguments unless this request already ran (here, or anywhere:
   * the server refuses a second `executing`), forwarding the receipt in `_meta`.
   */
  execute(requestId: string, tool: ProxiedTool, decision: GateAllow): Promise<CallToolResult> {
    const earlier = this.settled(requestId);
    if (earlier) return earlier;
    const { claimed, persisted } = this.store.claim(requestId);
    if (!claimed) {
      return Promise.resolve(
        textResult(`Request ${requestId} is not waiting to run; nothing was done.`, true),
      );
    }
    const running = this.#run(requestId, tool, decision, persisted);
    this.#inflight.set(requestId, running);
    void running.finally(() => this.#inflight.delete(requestId));
    return running;
  }

  async #run(
    requestId: string,
    tool: ProxiedTool,
    decision: GateAllow,
    persisted: Promise<void>,
  ): Promise<CallToolResult> {
    let result: CallToolResult;
    try {
      // The claim must be on disk before the upstream sees the call, or a crash could run it twice.
      await persisted;
    } catch (error) {
      result = textResult(
        `${tool.exposedName} did not run: the proxy could not record the approval (${errorMessage(error)}).`,
        true,
      );
      await this.store.complete(requestId, result).catch(() => {});
      return result;
    }
    const refused = await beginReported(this.gate, decision);
    if (refused) {
      result = textResult(refused.message, true);
      await this.store.complete(requestId, result).catch(() => {});
      return result;
    }
    // Read after `executing`: the receipt the server re-signed as the call starts, valid even
    // when the approval came long before (a call left pending and checked again later).
    const meta =
      decision.receipt === undefined ? {} : { meta: { [RECEIPT_META_KEY]: decision.receipt } };
    try {
      result = await this.upstreams.call(tool, decision.args, meta);
      await endReported(
        this.gate,
        decision,
        result.isError ? { error: resultText(result) } : undefined,
      );
    } catch (error) {
      this.logger.warn(`upstream call ${tool.exposedName} failed: ${errorMessage(error)}`);
      result = textResult(`${tool.exposedName} failed upstream: ${errorMessage(error)}`, true);
      await endReported(this.gate, decision, { error });
    }
    await this.store.complete(requestId, result).catch((error) => {
      this.logger.error(`cannot save the result of request ${requestId}: ${errorMessage(error)}`);
    });
    return result;
  }
}

/** The text of an error result, for the execution report. */
function resultText(result: CallToolResult): string {
  const texts = result.content
    .map((part) => (part.type === 'text' ? part.text : ''))
    .filter((text) => text.length > 0);
  return texts.length > 0 ? texts.join('\n') : 'the upstream tool returned an error';
}
