/** The shapes the gated call runner passes around, and its limits. */
import { type ApprovalRequest, fingerprint } from '@countersign/core';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { HandlerExtra } from '../shared/progress-heartbeat.js';

export type Args = Record<string, unknown>;
/** What the runner needs of a request's `extra`: its signal, and progress for the heartbeat. */
export type CallExtra = Pick<HandlerExtra, 'signal' | 'sendNotification'> & Partial<HandlerExtra>;

/** Where one gate decision left a call. */
export type Settled =
  | { pending: ApprovalRequest; result?: undefined; requestId?: undefined; open?: undefined }
  | {
      pending?: undefined;
      result: CallToolResult;
      requestId?: string;
      /** The call did not run, but its request may still be decided (aborted, unreachable). */
      open?: boolean;
    };

/** How many open calls the runner remembers for re-attaching. */
export const MAX_OPEN_CALLS = 1000;

/** The identity of a call for re-attaching; undefined for arguments that are not plain JSON. */
export function reattachKey(toolName: string, args: Args): string | undefined {
  try {
    return fingerprint(toolName, args);
  } catch {
    return undefined;
  }
}

/** A call run as an MCP task (see `GatedCallRunner.settleTask`). */
export interface TaskCall {
  toolName: string;
  args: Args;
  toolCallId: string;
  runId: string;
  signal: AbortSignal;
}

/** What a task hears while its call is decided. */
export interface TaskHooks {
  /** The request is still pending after one wait. */
  onPending(request: ApprovalRequest): Promise<void>;
  /** True while the user in the client is asked (elicitation), false once answered. */
  onAskingClient?(asking: boolean): void;
  /** Runs (and is awaited) just before an allowed call without a request reaches the upstream. */
  beforeForward?(): Promise<void>;
}
/** Denials that are final; `unavailable` and `aborted` are not, so a later check can re-attach. */
export const FINAL_DENIALS = new Set(['policy', 'rejected', 'expired', 'cancelled', 'invalid']);
/** How long a task's first gate check waits before the task reports its pending request. */
export const FIRST_TASK_WAIT_MS = 300;
