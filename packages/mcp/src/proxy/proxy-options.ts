import type { ApprovalService, Gate } from '@countersign/core';
import { type GateSourceOptions, isJsonObject, resolveGate } from '@countersign/core/adapter';
import type { Logger } from '../shared/logger.js';
import { hasMethods, isHttpUrl, millisecondsProblems } from '../shared/option-checks.js';
import type { UpstreamSet } from '../upstream/upstream-set.js';
import type { ApprovalChannel } from './elicit-approval.js';
import type { PendingCallStore } from './pending-call-store.js';

/** The part of the core gate the proxy uses: `check` decides, `evaluate` names the channel. */
export type ToolGate = Pick<Gate, 'check' | 'evaluate'>;

/**
 * Options for {@link createProxyServerFactory}. The gate decides every `tools/call`: pass `gate`
 * (`createGate` from `@countersign/core`), or `policy` and `service` to have one made.
 */
export interface ProxyOptions extends GateSourceOptions<ToolGate> {
  /** The connected upstream servers. */
  upstreams: UpstreamSet;
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
  /** Where the proxy logs. Default: nowhere. */
  logger?: Logger;
  /**
   * The dashboard's public address (e.g. `https://countersign.example.com`). With it, clients that
   * support URL-mode elicitation are offered a pending request's page ("Open the approval page").
   */
  publicUrl?: string;
  /**
   * The Countersign server, to withdraw the request of a task the client cancels (`tasks/cancel`).
   * Default: `service` when given; without either, a cancelled task ends and its request stays open.
   */
  requests?: Pick<ApprovalService, 'cancel'>;
}

/** {@link ProxyOptions} after {@link resolveProxyOptions}: the gate is always there. */
export type ResolvedProxyOptions = ProxyOptions & { gate: ToolGate };

const CHANNELS: readonly string[] = ['server', 'elicit', 'elicit-then-server'];

/**
 * Rejects bad proxy options at construction, every problem in one `CountersignError` with code
 * `validation_failed`, and makes the gate when only a policy or service is given.
 */
export function resolveProxyOptions(options: ProxyOptions): ResolvedProxyOptions {
  const problems: string[] = [];
  if (typeof options === 'object' && options !== null) {
    if (
      !hasMethods(options.upstreams, ['find', 'call', 'refresh', 'onToolsChanged', 'connections'])
    ) {
      problems.push('upstreams must be an UpstreamSet (UpstreamSet.connect or fromConnections)');
    }
    if (!hasMethods(options.store, ['get', 'remember', 'claim', 'complete'])) {
      problems.push('store must be a PendingCallStore (PendingCallStore.open)');
    }
    if (options.runId !== undefined && (typeof options.runId !== 'string' || !options.runId)) {
      problems.push('runId must be a non-empty string');
    }
    problems.push(...millisecondsProblems(options, ['maxWaitMs', 'progressIntervalMs']));
    if (options.defaultChannel !== undefined && !CHANNELS.includes(options.defaultChannel)) {
      problems.push(`defaultChannel must be one of ${CHANNELS.join(', ')}`);
    }
    if (options.publicUrl !== undefined && !isHttpUrl(options.publicUrl)) {
      problems.push('publicUrl must be an http(s) URL');
    }
    if (options.context !== undefined && !isJsonObject(options.context)) {
      problems.push('context must be a JSON object');
    }
  }
  const gate = resolveGate(options, 'createProxyServerFactory', {
    methods: ['check', 'evaluate'],
    problems,
  });
  return { ...options, gate };
}
