import type {
  JsonObject,
  Notify,
  PreviewDescriptor,
  RequestKind,
  RequestPolicy,
  ToolAnnotations,
} from '../protocol/index.js';
import type { PolicyExplanation } from './explain-policy.js';

/** What a policy decides for a tool call. */
export type PolicyAction = 'allow' | 'deny' | 'require';

/** How a `require` rule asks: merged from the policy's `approval` defaults and the rule's own. */
export interface ApprovalSpec {
  /** What the human is asked for. Default `approval`. */
  kind: RequestKind;
  /** Who may decide, e.g. `['group:finance', 'user:cfo']`. Empty: any reviewer. */
  assignees: string[];
  /** How many distinct approvers are needed. Default 1. */
  quorum: number;
  /** How long the request stays open, e.g. `48h`. */
  timeout?: string;
  /** Reminders, each counted from creation, e.g. `['24h']`. */
  reminders?: string[];
  /** After `after`, add (or replace with) `assignees`. */
  escalation?: { after: string; assignees: string[]; mode: 'add' | 'replace' };
  /** What an expired request means for the call. Default `deny`; never a rejection. */
  onTimeout: 'deny' | 'allow';
  /** The question, for `clarification` requests. */
  question?: string;
  /** The JSON Schema of the answer, for `form` requests. */
  responseSchema?: JsonObject;
  /**
   * Where an adapter that has a local channel (the MCP proxy's elicitation) asks: `server`
   * (default), `elicit` (the user in the client instead, when it can), or `elicit-then-server`
   * (the user first, then the server). Adapters without a local channel always use the server.
   */
  channel?: 'server' | 'elicit' | 'elicit-then-server';
  /**
   * How the reviewer sees the call (an email, a diff, SQL, a transfer): overrides the preview the
   * tool declares, so tools you do not own (an MCP upstream's) get one too.
   */
  preview?: PreviewDescriptor;
  /**
   * Who else hears of the request and on which channels, e.g.
   * `{ targets: ['slack:#deploys', 'email:oncall@example.com'], channels: ['email'] }`.
   */
  notify?: Notify;
}

/** What the policy sees of one tool call. */
export interface PolicyInput {
  /** The tool's name as the model called it (`server__tool` for MCP proxies). */
  toolName: string;
  /** The exact arguments; visible to conditions as `args`. */
  args: JsonObject;
  /** Caller context (user, tenant, environment); visible to conditions as `context`. */
  context?: JsonObject;
  /** Tool hints; visible to conditions as `tool.annotations`. */
  annotations?: ToolAnnotations;
  /** The agent run; visible to conditions as `run.id`. */
  runId?: string;
}

/** The policy's verdict for one call. */
export interface PolicyDecision {
  action: PolicyAction;
  /** The matching rule's name (or `#N`, 1-based, when unnamed); absent when `default` applied. */
  rule?: string;
  /** For `deny`: the message for the model. */
  message?: string;
  /** For `require`: how to ask. */
  approval?: ApprovalSpec;
}

/** A loaded, validated policy. Every expression is compiled once at load. */
export interface Policy {
  /** Decides one call: synchronous, no I/O. Rules in file order, first match wins, then `default`. */
  evaluate(input: PolicyInput): PolicyDecision;
  /**
   * Explains one call: every rule, whether its tools matched, what its condition gave, which rule
   * decided. Its `decision` is always the one `evaluate` returns. Absent on hand-written policies.
   */
  explain?(input: PolicyInput): PolicyExplanation;
  /**
   * For a policy that loads asynchronously (`remotePolicy`): resolves once it is loaded or has
   * failed to load. The gate waits for it before its first decision.
   */
  readonly ready?: Promise<unknown>;
  /** For a central policy: its name and the version deciding now, recorded in each request. */
  readonly origin?: { name: string; version: number } | undefined;
  /** The file (or label) it was loaded from, for messages. */
  readonly source: string;
  /** The number of rules. */
  readonly ruleCount: number;
  /** The action when no rule matches. */
  readonly defaultAction: PolicyAction;
  /**
   * The policy-wide `approval` block with defaults filled in: what a `require` without its own
   * block asks for, and the base of a caller's `requireApproval` (see the gate). Absent on
   * hand-written policies; the gate then uses one approval from any reviewer.
   */
  readonly approvalDefaults?: ApprovalSpec;
  /**
   * The rules whose tool patterns match `toolName`, in order, and the default: what the gate sends
   * with a request (`policy`) so the server can tell where edited arguments land. Absent on
   * hand-written policies; their requests then carry no policy and only the gate checks edits.
   */
  scopeFor?(toolName: string): Omit<RequestPolicy, 'rule'>;
}
