import type {
  ApprovalRequest,
  RequestEvent,
  RequestKind,
  RequestStatus,
} from '@countersign/core/protocol';
import type {
  PolicyHeadRecord,
  PolicyVersionRecord,
  PolicyVersionState,
  ShadowReportRecord,
  StopRecord,
} from './policy-records.js';

/** A role an API key carries. */
export type Role = 'agent' | 'reviewer' | 'admin';

/** A stored API key (the secret itself is never stored, only its SHA-256). */
export interface ApiKeyRecord {
  id: string;
  name: string;
  role: Role;
  groups: string[];
  /** Hex SHA-256 of the full key. */
  hash: string;
  createdAt: string;
  revokedAt?: string;
}

/**
 * A person's notification preferences. Stored as one JSON document, so later settings (quiet
 * hours, say) need no migration.
 */
export interface NotificationSettings {
  /** The channels (`email`, `slack`, …) that may notify the person; absent means every one. */
  channels?: string[];
}

/** A person of the directory, `user:NAME` in assignees and principals. */
export interface UserRecord {
  /** NAME of `user:NAME`. */
  name: string;
  displayName?: string;
  email?: string;
  /** The Slack member id (`U…`/`W…`), for direct messages and mapping Slack clicks. */
  slackUserId?: string;
  /** Groups (`group:G` assignees reach them). */
  groups: string[];
  /** False once disabled: their keys and sessions stop working, and nothing notifies them. */
  active: boolean;
  notifications: NotificationSettings;
  createdAt: string;
  updatedAt: string;
}

/** Filters and paging for listing users, by name. */
export interface UserQuery {
  /** Only names after this one (the last name of the previous page). */
  after?: string;
  /** Only active (true) or disabled (false) users. */
  active?: boolean;
  limit: number;
}

/** A reviewer's signed-in session (browser cookie or CLI token); the token itself is never stored. */
export interface SessionRecord {
  /** Hex SHA-256 of the session token. */
  id: string;
  /** NAME of `user:NAME`. */
  userName: string;
  /** `reviewer`, or `admin` through the admin group. */
  role: Role;
  /** The provider's groups at sign-in. */
  groups: string[];
  /** `browser` (cookie, CSRF-checked) or `cli` (Bearer token). */
  kind: 'browser' | 'cli';
  /** The per-session token a cookie-authenticated state-changing request must echo. */
  csrfToken: string;
  /** Milliseconds since the epoch, as are the other times. */
  createdAt: number;
  lastSeenAt: number;
  /** The absolute end of the session. */
  expiresAt: number;
  /** Set by sign-out. */
  endedAt?: number;
}

/** The server-side half of a sign-in in progress, claimed once by the callback. */
export interface SignInAttempt {
  state: string;
  codeVerifier: string;
  nonce: string;
  /** The dashboard path to return to. */
  returnTo: string;
  createdAt: number;
}

/** A receipt signing key: the public JWK in clear, the private one encrypted (AES-256-GCM). */
export interface SigningKeyRecord {
  /** The key id (`kid`): the JWK thumbprint of the public key. */
  id: string;
  /** The public JWK as JSON. */
  publicJwk: string;
  /** The private JWK, encrypted with the signing-key secret. */
  privateKey: string;
  createdAt: string;
}

/** The one consumption of a receipt. */
export interface ReceiptUse {
  receiptId: string;
  requestId: string;
  /** The principal that consumed it. */
  consumer: string;
  consumedAt: string;
}

/** Which requests a caller may see. */
export interface Visibility {
  /** Everything (admins). */
  all?: boolean;
  /** Requests this principal created. */
  requester?: string;
  /** Requests assigned to any of these (`user:X`, `group:G`), plus unassigned ones. */
  assignees?: string[];
}

/** Filters and paging for listing requests, newest first. */
export interface RequestQuery {
  visibility: Visibility;
  status?: RequestStatus;
  kind?: RequestKind;
  requester?: string;
  assignee?: string;
  /** Only requests older than this position: the `nextBefore` of the previous page. */
  before?: number;
  /** Rows to skip (for offset-paged APIs; prefer `before`). */
  offset?: number;
  limit: number;
  /**
   * Ends the page early once its items' JSON (one byte of separator each) would pass this many
   * bytes; the first item is always included, however large. Unbounded when unset.
   */
  maxBytes?: number;
}

/** One page of requests. */
export interface RequestPage {
  items: ApprovalRequest[];
  /** The `before` of the next page, or null when this page is the last. */
  nextBefore: number | null;
}

/**
 * A scheduled piece of work on a request; `grant-expiry` is keyed by a grant id instead (in
 * `requestId`) and records the grant's expiry in the audit log.
 */
export type JobKind = 'deadline' | 'reminder' | 'escalation' | 'grant-expiry';

/** A due time stored in the database; claimed exactly once. */
export interface Job {
  id: number;
  requestId: string;
  kind: JobKind;
  dueAt: number;
}

/** One entry of the audit hash chain. */
export interface AuditEntry {
  seq: number;
  at: string;
  type: string;
  requestId: string | null;
  actor: string | null;
  data: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

/** Filters for reading the audit log, oldest first. */
export interface AuditQuery {
  requestId?: string;
  /** ISO time, inclusive. */
  from?: string;
  /** ISO time, exclusive. */
  to?: string;
  afterSeq?: number;
  limit: number;
}

/** A webhook subscription managed by admins. */
export interface WebhookRecord {
  id: string;
  url: string;
  /** `whsec_…` */
  secret: string;
  /** Event types to deliver; empty means all. */
  events: string[];
  enabled: boolean;
  createdAt: string;
}

/** A webhook message waiting in (or done with) the outbox. */
export interface OutboxMessage {
  id: string;
  webhookId: string | null;
  url: string;
  secret: string;
  eventType: string;
  body: string;
  attempts: number;
  nextAttemptAt: number;
  createdAt: number;
  status: 'pending' | 'delivered' | 'failed' | 'disabled';
  lastError?: string;
  /** The request it is about, when it is about one (notifications always are). */
  requestId?: string | null;
}

/** A stored grant; its status (active, expired, exhausted, revoked) is read against the clock. */
export interface GrantRecord {
  id: string;
  /** Tool name or glob. */
  tool: string;
  /** The CEL condition a call must meet. */
  when: string;
  appliesTo: 'run' | 'agent' | 'any';
  /** For `agent` and `run`: the agent covered. */
  agent?: string;
  /** For `run`: the run covered. */
  runId?: string;
  grantedBy: string;
  /** The granter's role and groups when granting: a grant approves only where they could. */
  granterRole: Role;
  granterGroups: string[];
  /** The API key the granter used: once it is revoked, the grant approves nothing more. */
  granterKeyId?: string;
  createdAt: string;
  expiresAt: string;
  maxUses?: number;
  uses: number;
  /** The assignees of the request it came from (who may see it); empty when made directly. */
  assignees: string[];
  fromRequest?: string;
  revokedAt?: string;
  revokedBy?: string;
  revokeReason?: string;
}

/** Which grants a caller may see. */
export interface GrantVisibility {
  /** Every grant (admins). */
  all?: boolean;
  /** Grants this principal made. */
  grantedBy?: string;
  /** Grants from requests assigned to any of these, plus those with no assignees. */
  assignees?: string[];
  /** Grants covering this agent (its own and the ones for any agent). */
  agent?: string;
}

/** Filters for listing grants, newest first. */
export interface GrantQuery {
  visibility: GrantVisibility;
  /** Only the grants still usable at this ISO time. */
  liveAt?: string;
  limit: number;
}

/** A Slack message posted about a request (one per recipient), to update once it is decided. */
export interface SlackMessageRef {
  requestId: string;
  /** The address it was posted to: a Slack member id (a DM) or a channel as named (`#deploys`). */
  recipient: string;
  /** The channel id Slack answered with (a `D…` id for a DM). */
  channel: string;
  /** The message's `ts`, its id within the channel. */
  ts: string;
  /** Epoch milliseconds of the post. */
  postedAt: number;
  /** The request version the message shows now. */
  shownVersion: number;
}

/**
 * The rows one claim takes: webhooks and callbacks, every notification (`notify:` urls), or the
 * notifications of one channel (`notify:CHANNEL:` urls).
 */
export type OutboxLane = 'webhooks' | 'notifications' | { channel: string };

/** Everything the service reads and writes; each method is one statement or a small group. */
export interface StoreTx {
  getRequest(id: string): Promise<ApprovalRequest | undefined>;
  insertRequest(request: ApprovalRequest): Promise<void>;
  /** Writes `request` if the stored version is still `previousVersion`; false otherwise. */
  updateRequest(request: ApprovalRequest, previousVersion: number): Promise<boolean>;
  listRequests(query: RequestQuery): Promise<RequestPage>;

  findIdempotency(
    principal: string,
    key: string,
  ): Promise<{ bodyHash: string; requestId: string } | undefined>;
  /** Remembers a key; `createdAt` (ISO-8601, from the service clock) starts its retention. */
  saveIdempotency(
    principal: string,
    key: string,
    bodyHash: string,
    requestId: string,
    createdAt: string,
  ): Promise<void>;
  /** Deletes up to `limit` keys created before `before` (ISO-8601); resolves with how many. */
  purgeIdempotency(before: string, limit: number): Promise<number>;

  /** Stores an event and gives it its global id. */
  appendEvent(event: Omit<RequestEvent, 'id'>): Promise<RequestEvent>;
  /** Events with a global id above `afterId`, oldest first. */
  listEvents(
    afterId: number,
    requestId: string | undefined,
    limit: number,
  ): Promise<RequestEvent[]>;
  /** The highest event id so far (0 when there are none). */
  latestEventId(): Promise<number>;

  lastAudit(): Promise<AuditEntry | undefined>;
  appendAudit(entry: AuditEntry): Promise<void>;
  listAudit(query: AuditQuery): Promise<AuditEntry[]>;

  /** Replaces a request's pending jobs of the given kinds. */
  replaceJobs(requestId: string, kinds: JobKind[], jobs: Omit<Job, 'id'>[]): Promise<void>;
  /** Removes every pending job of a request. */
  clearJobs(requestId: string): Promise<void>;
  /** Claims the earliest due job (marks it done) or returns undefined. */
  claimDueJob(now: number): Promise<Job | undefined>;
  /** The earliest pending due time, if any. */
  nextJobDue(): Promise<number | undefined>;

  enqueueOutbox(message: OutboxMessage): Promise<void>;
  /** Leases due messages (of one lane, or all) until `leaseUntil` so a crash re-delivers them. */
  claimDueOutbox(
    now: number,
    leaseUntil: number,
    limit: number,
    lane?: OutboxLane,
  ): Promise<OutboxMessage[]>;
  updateOutbox(message: OutboxMessage): Promise<void>;
  disableOutboxFor(webhookId: string): Promise<void>;
  listOutbox(limit: number): Promise<OutboxMessage[]>;
  /** A request's outbox rows whose url starts with `prefix`, oldest first. */
  listRequestOutbox(requestId: string, prefix: string, limit: number): Promise<OutboxMessage[]>;
  /** Rows in `status` whose url starts with `prefix`, newest first. */
  listOutboxByStatus(
    status: OutboxMessage['status'],
    prefix: string,
    limit: number,
  ): Promise<OutboxMessage[]>;
  /** Whether a row for this request already went (or is going) to `url`. */
  outboxSentTo(requestId: string, url: string): Promise<boolean>;
  /** Marks a single-use link used; false when it already was. */
  claimLink(nonce: string, requestId: string, at: string): Promise<boolean>;
  /** When a single-use link was used, if it was. */
  linkUsedAt(nonce: string): Promise<string | undefined>;
  /** Makes a claimed link usable again (its decision did not go through). */
  releaseLink(nonce: string): Promise<void>;
  /** What is waiting: pending requests and undelivered outbox messages, with the oldest of each. */
  backlog(): Promise<Backlog>;

  insertWebhook(webhook: WebhookRecord): Promise<void>;
  listWebhooks(): Promise<WebhookRecord[]>;
  getWebhook(id: string): Promise<WebhookRecord | undefined>;
  setWebhookEnabled(id: string, enabled: boolean): Promise<void>;
  deleteWebhook(id: string): Promise<boolean>;

  insertApiKey(key: ApiKeyRecord): Promise<void>;
  getApiKey(id: string): Promise<ApiKeyRecord | undefined>;
  /**
   * A key with the directory user of its name (reviewer and admin keys; none for an agent key or
   * a name without a user), in one statement: one snapshot, and one round trip on PostgreSQL.
   */
  getApiKeyWithUser(id: string): Promise<{ key: ApiKeyRecord; user?: UserRecord } | undefined>;
  listApiKeys(): Promise<ApiKeyRecord[]>;
  revokeApiKey(id: string, at: string): Promise<boolean>;

  insertGrant(grant: GrantRecord): Promise<void>;
  getGrant(id: string): Promise<GrantRecord | undefined>;
  listGrants(query: GrantQuery): Promise<GrantRecord[]>;
  /**
   * The grants usable at `now` by this agent in this run that may cover `toolName` (its exact name,
   * or a glob), oldest first, at most `limit`.
   */
  liveGrantsFor(
    toolName: string,
    agent: string,
    runId: string | undefined,
    now: string,
    limit: number,
  ): Promise<GrantRecord[]>;
  /**
   * Counts one use if the grant is still usable at `now` and resolves with its uses since; undefined
   * when it is not (another call took the last use, or it expired or was revoked meanwhile).
   */
  useGrant(id: string, now: string): Promise<number | undefined>;
  /** Marks a grant revoked (once); false when it already was. */
  revokeGrant(grant: GrantRecord): Promise<boolean>;
  getUser(name: string): Promise<UserRecord | undefined>;
  /** The user with this email, compared without case. */
  findUserByEmail(email: string): Promise<UserRecord | undefined>;
  findUserBySlackId(slackUserId: string): Promise<UserRecord | undefined>;
  listUsers(query: UserQuery): Promise<UserRecord[]>;
  /** The active users in any of `groups`, by name. */
  listActiveMembers(groups: readonly string[]): Promise<UserRecord[]>;
  insertUser(user: UserRecord): Promise<void>;
  /** Overwrites the user of that name; false when there is none. */
  updateUser(user: UserRecord): Promise<boolean>;
  /** Remembers a posted Slack message; false when one for this recipient is stored already. */
  insertSlackMessage(message: SlackMessageRef): Promise<boolean>;
  /** The Slack messages posted about a request, oldest first. */
  listSlackMessages(requestId: string): Promise<SlackMessageRef[]>;
  /** Records that a message now shows `version`, unless it shows a later one; true if it moved. */
  setSlackMessageVersion(requestId: string, recipient: string, version: number): Promise<boolean>;

  insertSession(session: SessionRecord): Promise<void>;
  getSession(id: string): Promise<SessionRecord | undefined>;
  /** Moves `lastSeenAt` forward to `at`. */
  touchSession(id: string, at: number): Promise<void>;
  /** Ends a live session; false when there is none. */
  endSession(id: string, at: number): Promise<boolean>;
  /** Deletes the user's sessions that expired or ended before `before`. */
  purgeSessionsOf(userName: string, before: number): Promise<void>;
  /** Stores a sign-in in progress, purging those started before `purgeBefore`. */
  insertSignInAttempt(attempt: SignInAttempt, purgeBefore: number): Promise<void>;
  /** Removes and returns the sign-in with this state; undefined when unknown or already taken. */
  takeSignInAttempt(state: string): Promise<SignInAttempt | undefined>;
  /** Stores a new receipt signing key; the newest one signs. */
  insertSigningKey(key: SigningKeyRecord): Promise<void>;
  /** Every signing key, newest first. */
  listSigningKeys(): Promise<SigningKeyRecord[]>;
  /** The id of the newest signing key, if any. */
  newestSigningKeyId(): Promise<string | undefined>;
  /**
   * Records `use` unless the receipt was consumed before; resolves with the first consumption and
   * whether it is this one.
   */
  consumeReceipt(use: ReceiptUse): Promise<{ first: ReceiptUse; recorded: boolean }>;

  getSetting(name: string): Promise<string | undefined>;
  setSetting(name: string, value: string): Promise<void>;

  insertPolicyVersion(record: PolicyVersionRecord): Promise<void>;
  getPolicyVersion(name: string, version: number): Promise<PolicyVersionRecord | undefined>;
  /** Every version of a policy, oldest first. */
  listPolicyVersions(name: string): Promise<PolicyVersionRecord[]>;
  /** The highest version number of a policy (0 when it has none). */
  latestPolicyVersion(name: string): Promise<number>;
  /** Settles a `proposed` version; false when it was not proposed (already settled). */
  setPolicyVersionState(name: string, version: number, state: PolicyVersionState): Promise<boolean>;
  getPolicyHead(name: string): Promise<PolicyHeadRecord | undefined>;
  listPolicyHeads(): Promise<PolicyHeadRecord[]>;
  savePolicyHead(head: PolicyHeadRecord): Promise<void>;
  listStops(): Promise<StopRecord[]>;
  saveStop(stop: StopRecord): Promise<void>;
  deleteStop(scope: string): Promise<boolean>;
  getShadowReport(
    name: string,
    activeVersion: number,
    shadowVersion: number,
  ): Promise<ShadowReportRecord | undefined>;
  listShadowReports(name: string): Promise<ShadowReportRecord[]>;
  saveShadowReport(report: ShadowReportRecord): Promise<void>;

  /** Runs `callback` once the surrounding transaction commits (never if it rolls back). */
  afterCommit(callback: () => void): void;
}

/** What {@link StoreTx.backlog} counts (for the metrics' gauges). */
export interface Backlog {
  /** Requests with status `pending`. */
  pendingRequests: number;
  /** When the oldest pending request was created (epoch ms), when there is one. */
  oldestPendingAt?: number;
  /** Outbox messages still `pending` (not delivered, failed or disabled). */
  outboxPending: number;
  /** When the oldest of those was enqueued (epoch ms), when there is one. */
  oldestOutboxAt?: number;
}

/** How {@link Store.read} may answer. */
export interface ReadOptions {
  /**
   * What `fn` reads is only checked, never shown (authenticating a request, a check that its
   * transaction repeats), so it may include commits whose sync to disk is still running. Without
   * it a SQLite read answers once what it saw is durable; PostgreSQL never shows such commits.
   */
  unsynced?: boolean;
  /**
   * Delivery work no user waits on. On SQLite such a read answers a turn later, so one that waited
   * for a commit's sync resumes after that commit's own callers (the change's answer, its waiters'
   * wake-ups) instead of among them, where its work (a Slack message, a channel's call) went first.
   */
  background?: boolean;
}

/** How {@link Store.transaction} schedules its change. */
export interface TransactionOptions {
  /**
   * Delivery bookkeeping that no user waits on (outbox claims, attempt records and their audit
   * entries): it joins the next commit of other changes, after them, or commits alone once
   * `groupCommit.backgroundWaitMs` has passed, so it never takes the writer or a log sync ahead of
   * a decision. Resolves once durable, like any other change.
   */
  background?: boolean;
}

/**
 * The storage boundary. Every method is async and every write happens inside `transaction`, so a
 * PostgreSQL store can follow without touching the service logic.
 */
export interface Store {
  /**
   * Runs `fn` in one transaction: all of its writes commit together or not at all; resolves once
   * they are durable.
   */
  transaction<T>(fn: (tx: StoreTx) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Runs read-only `fn` against a consistent view of what is committed. */
  read<T>(fn: (tx: StoreTx) => Promise<T>, options?: ReadOptions): Promise<T>;
  /** Answers whether the database is reachable. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
