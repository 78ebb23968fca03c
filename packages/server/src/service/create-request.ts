import { createHash } from 'node:crypto';
import { standingPreview } from '@countersign/core';
import { fingerprint } from '@countersign/core/fingerprint';
import {
  type ApprovalRequest,
  type CreateRequestBody,
  canonicalJson,
  parseDuration,
  stoppedMessage,
} from '@countersign/core/protocol';
import type { Principal } from '../auth/principal.js';
import { isoTime } from '../clock.js';
import { newId } from '../ids.js';
import { currentTraceparent } from '../observability/server-tracing.js';
import type { Job, StoreTx } from '../store/store-types.js';
import { assertCallbackAddressAllowed, systemResolver } from '../webhooks/callback-addresses.js';
import { assertCallbackAllowed } from '../webhooks/callback-hosts.js';
import { approveByGrant, matchingGrants } from './apply-grant.js';
import { renewReceipt } from './attach-receipt.js';
import { assertUsablePolicy } from './edit-policy-check.js';
import { fail } from './failures.js';
import { DEFAULT_INPUT_LIMITS, overLimit, type ResolvedInputLimits } from './input-limits.js';
import { recordChange } from './record-change.js';
import { schemaCheckerOf } from './schema-checker.js';
import type { ServiceContext } from './service-context.js';

/** The URLs of a request, as absolute paths. */
export function requestLinks(id: string): ApprovalRequest['links'] {
  const self = `/v1/requests/${encodeURIComponent(id)}`;
  return { self, wait: `${self}/wait`, events: `${self}/events` };
}

function ms(duration: string): number {
  return parseDuration(duration) as number;
}

/** Builds a new pending request and its scheduler jobs from a validated body. */
export function buildRequest(
  body: CreateRequestBody,
  requester: string,
  now: number,
): { request: ApprovalRequest; jobs: Omit<Job, 'id'>[] } {
  if (body.policy) assertUsablePolicy(body.policy);
  const id = newId('req');
  const at = isoTime(now);
  const request: ApprovalRequest = {
    id,
    kind: body.kind,
    status: 'pending',
    version: 1,
    action: body.action,
    context: body.context ?? {},
    assignees: [...new Set(body.assignees ?? [])],
    quorum: body.quorum,
    requester,
    createdAt: at,
    updatedAt: at,
    reminders: (body.reminders ?? []).map((after) => isoTime(now + ms(after))).sort(),
    decisions: [],
    links: requestLinks(id),
  };
  if (body.question !== undefined) request.question = body.question;
  if (body.tool) {
    request.tool = body.tool;
    request.fingerprint = fingerprint(body.tool.name, body.tool.args);
    // Rendered here, from the arguments that will run: a preview the agent wrote out itself could
    // show one thing while another runs.
    const preview = standingPreview(request);
    if (preview) request.preview = preview;
  }
  const copied = [
    'responseSchema',
    'callbackUrl',
    'runId',
    'toolCallId',
    'metadata',
    'policy',
    'notify',
  ] as const;
  for (const key of copied) {
    if (body[key] !== undefined) Object.assign(request, { [key]: body[key] });
  }
  const jobs: Omit<Job, 'id'>[] = [];
  if (body.timeout) {
    const due = now + ms(body.timeout);
    request.deadline = isoTime(due);
    jobs.push({ requestId: id, kind: 'deadline', dueAt: due });
  }
  for (const after of body.reminders ?? []) {
    jobs.push({ requestId: id, kind: 'reminder', dueAt: now + ms(after) });
  }
  if (body.escalation) {
    const due = now + ms(body.escalation.after);
    request.escalation = {
      at: isoTime(due),
      assignees: body.escalation.assignees,
      mode: body.escalation.mode,
      fired: false,
    };
    jobs.push({ requestId: id, kind: 'escalation', dueAt: due });
  }
  return { request, jobs };
}

function assertSchemaSize(schema: object, path: string, limits: ResolvedInputLimits): void {
  const bytes = Buffer.byteLength(JSON.stringify(schema));
  if (bytes > limits.maxSchemaBytes) {
    throw overLimit('maxSchemaBytes', limits.maxSchemaBytes, bytes, path, 'The JSON Schema');
  }
}

/**
 * A stopped agent opens no new request: its gate denies before asking, and this closes the gap
 * for a gate that has not heard of the stop yet or does not follow the server.
 */
async function assertNotStopped(
  tx: StoreTx,
  principal: Principal,
  body: CreateRequestBody,
): Promise<void> {
  const policyName = body.metadata?.policyName;
  const stop = (await tx.listStops()).find(
    (candidate) =>
      candidate.scope === 'all' ||
      candidate.scope === principal.id ||
      (typeof policyName === 'string' && candidate.scope === `policy:${policyName}`),
  );
  if (stop) throw fail('forbidden', stoppedMessage(stop), { stopped: true, scope: stop.scope });
}

/** The result of a create: the request and whether it was an idempotent replay. */
export interface CreateResult {
  request: ApprovalRequest;
  replayed: boolean;
}

/** How a create is asked for, besides its body. */
export interface CreateOptions {
  /** Replays the original request for a repeated key with the same body. */
  idempotencyKey?: string;
  /** The field name of `callbackUrl` in errors (default `callbackUrl`; Ambedo's is `webhookUrl`). */
  callbackField?: string;
  /** The shape of `callbackUrl` deliveries (default: Countersign's envelope of every event). */
  callbackFormat?: ApprovalRequest['callbackFormat'];
  /** What a repeated Idempotency-Key is compared against (default: the create body). */
  idempotencyBody?: unknown;
  /**
   * The W3C `traceparent` the create call came with, stored on the request so its later spans
   * join that trace (default: the active span's, when an OpenTelemetry SDK runs).
   */
  traceparent?: string;
}

/**
 * Creates a request (or replays the original for a repeated Idempotency-Key). A `callbackUrl` off
 * the operator's allow-list is refused before anything is stored. `idempotencyBody` is what a repeated Idempotency-Key is
 * compared against (default `body`): the AXME route passes the client's own body, since the
 * request it maps to holds times counted from now.
 */
export async function createRequest(
  context: ServiceContext,
  principal: Principal,
  body: CreateRequestBody,
  options: CreateOptions = {},
): Promise<CreateResult> {
  const { idempotencyKey, callbackField = 'callbackUrl', idempotencyBody = body } = options;
  const limits = context.inputLimits ?? DEFAULT_INPUT_LIMITS;
  if (body.tool?.schema) assertSchemaSize(body.tool.schema, '/tool/schema', limits);
  if (body.responseSchema) assertSchemaSize(body.responseSchema, '/responseSchema', limits);
  const schemas = schemaCheckerOf(context);
  if (body.tool?.schema)
    await schemas.assertUsable(body.tool.schema, 'tool schema', '/tool/schema');
  if (body.responseSchema) {
    await schemas.assertUsable(body.responseSchema, 'responseSchema', '/responseSchema');
  }
  if (body.callbackUrl !== undefined) {
    assertCallbackAllowed(context.callbackHosts, body.callbackUrl, callbackField);
    if (!context.allowLinkLocalCallbacks) {
      const resolve = context.callbackResolver ?? systemResolver;
      await assertCallbackAddressAllowed(resolve, body.callbackUrl, callbackField);
    }
  }
  // Only a keyed create is compared with its replays: the others skip canonical JSON and hashing.
  const bodyHash =
    idempotencyKey === undefined
      ? ''
      : createHash('sha256').update(canonicalJson(idempotencyBody)).digest('hex');
  return context.store.transaction(async (tx) => {
    if (idempotencyKey !== undefined) {
      const previous = await tx.findIdempotency(principal.id, idempotencyKey);
      if (previous) {
        if (previous.bodyHash !== bodyHash) {
          throw fail('idempotency_conflict', 'This Idempotency-Key was used with another body', {
            requestId: previous.requestId,
          });
        }
        const original = await tx.getRequest(previous.requestId);
        if (!original) throw fail('conflict', 'The original request no longer exists');
        // An agent re-attaching to an approval whose call never started gets a receipt valid now;
        // one reported executing is never handed out again, so its receipt is not renewed.
        const handedOut = original.execution ? original : await renewReceipt(context, tx, original);
        return { request: handedOut, replayed: true };
      }
    }
    if (principal.role === 'agent') await assertNotStopped(tx, principal, body);
    const { request, jobs } = buildRequest(body, principal.id, context.clock.now());
    const traceparent = currentTraceparent(options.traceparent);
    if (traceparent !== undefined) request.traceparent = traceparent;
    if (options.callbackFormat && request.callbackUrl) {
      request.callbackFormat = options.callbackFormat;
    }
    const grants = await matchingGrants(context, tx, request);
    await recordChange(context, tx, {
      request,
      type: 'created',
      actor: principal.id,
      data: { kind: request.kind, action: request.action, assignees: request.assignees },
    });
    await tx.replaceJobs(request.id, [], jobs);
    // A live grant that matches approves at once, in this transaction: one use, counted atomically.
    const approved =
      grants.length > 0 ? await approveByGrant(context, tx, request, grants) : undefined;
    if (idempotencyKey !== undefined) {
      await tx.saveIdempotency(
        principal.id,
        idempotencyKey,
        bodyHash,
        request.id,
        isoTime(context.clock.now()),
      );
    }
    return { request: approved ?? request, replayed: false };
  });
}
