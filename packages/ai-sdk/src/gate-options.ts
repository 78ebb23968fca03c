import { type ApprovalService, createGate, type Policy } from '@countersign/core';
import type { GateCheckInput, GateDecision, JsonObject, ToolAnnotations } from './core-types.js';

/** The part of the Countersign gate the adapter uses; `createGate()` from `@countersign/core` returns one. */
export interface GateLike {
  /** Asks about one tool call: policy first, then (when required) a human. */
  check(input: GateCheckInput): Promise<GateDecision>;
}

/** One tool call as the adapter sees it, whichever AI SDK hook it came from. */
export interface ToolCallInfo {
  /** The tool's name in the tool set. */
  toolName: string;
  /** The SDK's id for the call (the model's, e.g. `call_abc`). */
  toolCallId: string;
  /** The parsed input the model sent. */
  input: unknown;
  /** The tool's own context (`toolsContext[toolName]`, `context` in `execute`). */
  toolContext?: unknown;
  /** The call's `runtimeContext` (seen by `toolApproval`, not by `execute`). */
  runtimeContext?: unknown;
}

/** Options shared by {@link withApproval}, {@link countersignToolApproval} and the chat helpers. */
export interface CountersignCallOptions {
  /**
   * The Countersign gate, e.g. `createGate({ policy: await loadPolicy('countersign.yaml'), service: new CountersignClient() })`.
   * Use the same gate (and the same options) everywhere one call is checked, so that repeated checks of
   * one call resume the same request.
   */
  gate?: GateLike;
  /** Without `gate`: the policy of the gate made for these options (`loadPolicy('countersign.yaml')`). Default: core's default policy. */
  policy?: Policy;
  /** Without `gate`: the approval service. Default: a `CountersignClient` from `COUNTERSIGN_URL` / `COUNTERSIGN_API_KEY`. */
  service?: ApprovalService;
  /**
   * The run (conversation, thread) a call belongs to; with the `toolCallId` and the fingerprint it makes the
   * request key, so a restarted route handler resumes the same request. A function must be deterministic.
   * Default: `toolContext.runId`, else `runtimeContext.runId`, when a string. A tool's `execute` does not see
   * `runtimeContext`: when pairing `withApproval` with the toolApproval bridge, pass the run id here or in
   * `toolsContext` so both check the same request.
   */
  runId?: string | ((call: ToolCallInfo) => string | undefined);
  /**
   * What the reviewer and the policy's `context` see (user, tenant). A function must be deterministic.
   * Default: none.
   */
  context?: JsonObject | ((call: ToolCallInfo) => JsonObject | undefined);
  /** A plain-words description of the call for the reviewer. Default: the gate's own. */
  action?: (call: ToolCallInfo) => string | undefined;
  /** Tool hints (per tool name) visible to policy conditions as `tool.annotations`. */
  annotations?: Record<string, ToolAnnotations>;
}

/** Options after {@link resolveCallOptions}: the gate is always there. */
export type ResolvedCallOptions<O extends CountersignCallOptions> = O & { gate: GateLike };

/** Rejects a bad options object at construction, and makes the gate when only a policy or service is given. */
export function resolveCallOptions<O extends CountersignCallOptions>(
  options: O,
  where: string,
): ResolvedCallOptions<O> {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`${where}: options are required`);
  }
  if (options.gate !== undefined && typeof options.gate?.check !== 'function') {
    throw new TypeError(
      `${where}: options.gate must be a Countersign gate (createGate() from @countersign/core)`,
    );
  }
  if (
    options.gate !== undefined &&
    (options.policy !== undefined || options.service !== undefined)
  ) {
    throw new TypeError(
      `${where}: give either options.gate or options.policy/options.service, not both`,
    );
  }
  if (options.policy !== undefined && typeof options.policy?.evaluate !== 'function') {
    throw new TypeError(
      `${where}: options.policy must be a loaded policy (loadPolicy, parsePolicy or definePolicy)`,
    );
  }
  if (options.runId !== undefined && !['string', 'function'].includes(typeof options.runId)) {
    throw new TypeError(`${where}: options.runId must be a string or a function`);
  }
  if (options.action !== undefined && typeof options.action !== 'function') {
    throw new TypeError(`${where}: options.action must be a function`);
  }
  if (options.gate !== undefined) return options as ResolvedCallOptions<O>;
  const gate = createGate({
    ...(options.policy === undefined ? {} : { policy: options.policy }),
    ...(options.service === undefined ? {} : { service: options.service }),
  });
  return { ...options, gate };
}

/** Derives the run id for a call from the options or the tool context. */
export function runIdFor(options: CountersignCallOptions, call: ToolCallInfo): string | undefined {
  if (typeof options.runId === 'string') return options.runId;
  if (typeof options.runId === 'function') return options.runId(call);
  for (const source of [call.toolContext, call.runtimeContext]) {
    const runId = (source as { runId?: unknown } | undefined)?.runId;
    if (typeof runId === 'string') return runId;
  }
  return undefined;
}

/** True for a plain JSON object (what a tool call's arguments must be). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
