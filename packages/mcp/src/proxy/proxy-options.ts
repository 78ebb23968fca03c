import type { Gate } from '@countersign/core';
import type { Logger } from '../shared/logger.js';
import type { UpstreamSet } from '../upstream/upstream-set.js';
import type { ApprovalChannel } from './elicit-approval.js';
import type { PendingCallStore } from './pending-call-store.js';

/** The part of the core gate the proxy uses: `check` decides, `evaluate` names the channel. */
export type ToolGate = Pick<Gate, 'check' | 'evaluate'>;

/** Options for {@link createProxyServer}. */
export interface ProxyOptions {
  /** The connected upstream servers. */
  upstreams: UpstreamSet;
  /** Decides every `tools/call`: the core gate (`createGate`). */
  gate: ToolGate;
  /** Remembers calls that went through an approval request (and their results). */
  store: PendingCallStore;
  /** The run id sent with every request. Default: a random id per proxy process. */
  runId?: string;
  /**
   * How long one `tools/call` (or `check_request`) waits for a human before answering "pending".
   * Keep it under the client's own timeout (about 60 s for most). Default 50 000.
   */
  maxWaitMs?: number;
  /** Milliseconds between progress notifications while waiting. Default 10 000. */
  progressIntervalMs?: number;
  /**
   * The channel for `require` rules that do not name one: `server` (default), `elicit` or
   * `elicit-then-server`. Clients without elicitation always fall back to the server.
   */
  defaultChannel?: ApprovalChannel;
  /** Context sent with every request (visible to policy conditions and reviewers). */
  context?: Record<string, unknown>;
  logger?: Logger;
}
