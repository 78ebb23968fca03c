import type { ApprovalService } from '../client/client-types.js';
import type { ApprovalSpec, Policy, PolicyDecision } from '../policy/policy-types.js';
import type {
  ApprovalRequest,
  GrantReference,
  JsonObject,
  PreviewDescriptorInput,
  ToolAnnotations,
} from '../protocol/index.js';
import type { GateDecisionListener } from './gate-observer.js';

/**
 * Checks human-edited arguments (a copy of them) with the tool's own schema; throws or rejects to
 * refuse them. Its return value is ignored: the arguments run as edited.
 */
export type EditValidator = (args: JsonObject) => unknown;

/** A tool call the gate is asked about. */
export interface GateCheckInput {
  /** The tool's name as the model called it (MCP proxies use `server__tool`). */
  toolName: string;
  /** The exact arguments the model sent. */
  args: JsonObject;
  /** The framework's id for this call; with `runId` it makes the request idempotent. */
  toolCallId?: string;
  /** The agent run or thread this call belongs to. */
  runId?: string;
  /** Anything the reviewer or the policy should see (user, tenant, conversation). */
  context?: JsonObject;
  /** Tool hints (MCP annotations), visible to policy conditions as `tool.annotations`. */
  annotations?: ToolAnnotations;
  /** The tool's input JSON Schema, sent along so the server can validate edited arguments. */
  inputSchema?: JsonObject;
  /**
   * Re-validates human-edited arguments with the tool's own schema: throw (or reject) to refuse
   * them, and the call is denied with reason `invalid`. What runs is the arguments as edited, the
   * ones the approval's fingerprint names; the validator's return value is ignored.
   */
  validateArgs?: EditValidator;
  /** A plain-words description of the action for the reviewer. Default: derived from the call. */
  action?: string;
  /**
   * How the reviewer sees the call: the email as it will be sent, the file's diff, the SQL, the
   * transfer. The server renders it from the arguments, so it always shows what will run; a
   * policy rule's `approval.preview` overrides it. Default: the arguments as a JSON tree.
   */
  preview?: PreviewDescriptorInput;
  /** Aborts the wait; the call is denied with reason `aborted`. */
  signal?: AbortSignal;
  /**
   * Stop waiting after this many milliseconds and resolve `pending` (with the request id) instead
   * of blocking. Default: wait as long as the request's own deadline allows.
   */
  waitTimeoutMs?: number;
  /**
   * Ask a human even when the policy allows the call (for example a tool the framework marks as
   * needing approval). `true` asks as the policy's `approval` defaults say; an approval block is
   * merged over those defaults (same fields and checks as a policy file's `approval` block; an
   * invalid one denies the call with reason `invalid`). A policy `deny` still denies, and a policy
   * `require` keeps its own rule's spec. The decision then behaves exactly as for a policy
   * `require`: bound to the fingerprint, edits re-validated and re-checked. `false` or absent: the
   * policy alone decides. {@link Gate.evaluate} ignores it.
   */
  requireApproval?: boolean | ApprovalOverride;
}

/**
 * How to ask when the caller requires approval: any subset of a policy `approval` block, e.g.
 * `{ assignees: ['group:finance'], timeout: '1h' }`.
 */
export type ApprovalOverride = Partial<Omit<ApprovalSpec, 'escalation'>> & {
  /** After `after`, add (default) or replace with `assignees`. */
  escalation?: { after: string; assignees: string[]; mode?: 'add' | 'replace' };
};

/**
 * Why a call was denied. Only `rejected` means a human said no. `already_ran`: the approval was
 * already reported executing by another attempt (a restarted or concurrent agent), so the call
 * does not run twice.
 */
export type DenyReason =
  | 'policy'
  | 'rejected'
  | 'expired'
  | 'cancelled'
  | 'unavailable'
  | 'invalid'
  | 'aborted'
  | 'already_ran';

/** The call may run, with these arguments (the original or the human-edited ones). */
export interface GateAllow {
  outcome: 'allow';
  args: JsonObject;
  /** True when a human changed the arguments. */
  edited: boolean;
  /** Fingerprint of `toolName` + `args`. */
  fingerprint: string;
  /** Absent when the policy allowed the call without asking. */
  requestId?: string;
  /** The policy rule that matched, if any. */
  rule?: string;
  /** Who approved, e.g. `['user:alice']`. */
  approvedBy?: string[];
  comment?: string;
  /** True when nobody decided in time and the rule says `onTimeout: allow`. */
  expired?: boolean;
  /**
   * Set when a reviewer's edit moved the call under another `require` rule and it was approved
   * again there: the first request, whose approval did not count (`requestId` is the second).
   */
  reaskedFrom?: string;
  /** For a re-asked call: what happened, written for the model. */
  message?: string;
  /** Set when a reviewer's grant approved the call at once ("allow calls like this"). */
  grant?: GrantReference;
  /**
   * The signed decision receipt (compact JWS) of a human-approved call: hand it to the tool, which
   * checks it with `verifyReceipt`. Absent when the policy allowed the call without asking.
   */
  receipt?: string;
  /** The receipt's id (its `jti`), for `POST /v1/receipts/{id}/consume`. */
  receiptId?: string;
}

/** What happened to an allowed call, for {@link Gate.report}. */
export type ExecutionReportState = 'executing' | 'succeeded' | 'failed';

/** Details of a {@link Gate.report}. */
export interface ExecutionReportDetails {
  /** For `failed`: what went wrong (sent cut to 1000 characters). */
  error?: unknown;
  /** Aborts the report. */
  signal?: AbortSignal;
}

/** The call must not run. `message` is written for the model. */
export interface GateDeny {
  outcome: 'deny';
  reason: DenyReason;
  message: string;
  requestId?: string;
  rule?: string;
  /** For `rejected`: the reviewer's own words. */
  rejectionReason?: string;
  /** Set when a reviewer's edit moved the call under another rule: the first request's id. */
  reaskedFrom?: string;
  cause?: unknown;
}

/** A human answered instead of the tool running; hand `response` back as the tool result. */
export interface GateRespond {
  outcome: 'respond';
  response: unknown;
  message: string;
  requestId: string;
  respondedBy?: string[];
}

/** Only with `waitTimeoutMs`: still undecided; check again later with the same input. */
export interface GatePending {
  outcome: 'pending';
  requestId: string;
  message: string;
  request: ApprovalRequest;
}

export type GateDecision = GateAllow | GateDeny | GateRespond | GatePending;

/** Options for {@link createGate}. */
export interface GateOptions {
  /** The policy that decides which calls run, which are denied and which need a human. Default: `DEFAULT_POLICY`. */
  policy?: Policy;
  /**
   * The approval service. Default: a `CountersignClient` configured from `COUNTERSIGN_URL` and
   * `COUNTERSIGN_API_KEY`, created on the first call that needs a human (so allowed calls never
   * need the service configured).
   */
  service?: ApprovalService;
  /**
   * Default for {@link GateCheckInput.waitTimeoutMs}: stop waiting after this many milliseconds and
   * resolve `pending`. Default: wait until the request is decided, expires or the signal aborts.
   */
  defaultWaitTimeoutMs?: number;
  /** How many rejected calls (per run and fingerprint) the gate remembers. Default 1000. */
  rejectionCacheSize?: number;
  /**
   * Called after each check with what the policy said, what the gate answered and how long it
   * took: wire it into your own metrics (see the README's "Metrics" section). Errors it throws
   * are ignored. Default: none (the allow path then takes no timestamps).
   */
  onDecision?: GateDecisionListener;
}

/** Puts the policy, and when it asks, a human, in front of tool calls. */
export interface Gate {
  /**
   * Decides one call. Never throws for service failures: every error becomes a `deny` with a
   * reason (`unavailable`, `invalid`, `aborted`) and the cause attached.
   */
  check(input: GateCheckInput): Promise<GateDecision>;
  /** The policy's verdict alone: synchronous, no I/O. */
  evaluate(input: GateCheckInput): PolicyDecision;
  /**
   * Reports what happened to an allowed call, so the reviewer sees that what they approved ran:
   * `executing` just before running it, then `succeeded` or `failed`. Only for calls a human (or a
   * grant) approved; a call the policy allowed outright has nothing to report (a no-op).
   * `executing` rejects (and the call must not run) when another attempt already reported it, with
   * a `CountersignError` of code `conflict`, or when the service is unreachable; the after-reports
   * never reject. Once `executing` went through, `decision.receipt` (and `receiptId`) hold the
   * receipt the server re-signed as the call started: hand the tool that one, as it is valid for
   * the receipt lifetime from now even when the approval came long before. The adapters do all
   * this for you.
   */
  report(
    decision: GateAllow,
    state: ExecutionReportState,
    details?: ExecutionReportDetails,
  ): Promise<void>;
  /** The policy in use. */
  readonly policy: Policy;
}
