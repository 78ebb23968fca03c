import { parsePolicy } from '@countersign/core/policy';
import {
  PolicyInvalidError,
  type PolicyVersion,
  type PushPolicyBody,
} from '@countersign/core/protocol';
import { appendAudit } from '../audit/audit-chain.js';
import type { Principal } from '../auth/principal.js';
import { isoTime } from '../clock.js';
import type { PolicyHeadRecord, PolicyVersionRecord } from '../store/policy-records.js';
import type { StoreTx } from '../store/store-types.js';
import { createRequest } from './create-request.js';
import { fail } from './failures.js';
import { lineDiff } from './line-diff.js';
import { POLICY_PUSH_METADATA } from './policy-push-metadata.js';
import type { ServiceContext } from './service-context.js';

/** Who must approve a new policy version before it becomes active (the server option). */
export interface PolicyApprovalOptions {
  /** Who may approve, e.g. `['group:security']`. Empty: any reviewer. */
  assignees: string[];
  /** How many distinct approvals it takes. */
  quorum: number;
}

/** The label of a version in diffs and messages. */
const label = (name: string, version: number) => `${name}@${version}`;

/** A version as the API shows it. */
export function publicVersion(
  record: PolicyVersionRecord,
  head: PolicyHeadRecord | undefined,
  extra: { text?: boolean; diff?: string } = {},
): PolicyVersion {
  return {
    name: record.name,
    version: record.version,
    file: record.file,
    author: record.author,
    createdAt: record.createdAt,
    state: record.state,
    requestId: record.requestId,
    active: head?.activeVersion === record.version,
    shadow: head?.shadowVersion === record.version,
    ...(extra.text ? { text: record.text } : {}),
    ...(extra.diff === undefined ? {} : { diff: extra.diff }),
  };
}

/** Validates a policy text exactly as `loadPolicy` does, as a 400 naming the file, line and rule. */
export function assertValidPolicy(text: string, file: string): void {
  try {
    parsePolicy(text, { file });
  } catch (error) {
    if (!PolicyInvalidError.isInstance(error)) throw error;
    throw fail('validation_failed', error.message, {
      file,
      ...(error.line === undefined ? {} : { line: error.line }),
      ...(error.rule === undefined ? {} : { rule: error.rule }),
    });
  }
}

/** Loads a version or answers 404. */
export async function loadVersion(
  tx: StoreTx,
  name: string,
  version: number,
): Promise<PolicyVersionRecord> {
  const record = await tx.getPolicyVersion(name, version);
  if (!record) throw fail('not_found', `Policy ${label(name, version)} does not exist`);
  return record;
}

/**
 * Stores a new version of `name`. Without `approval` it becomes active at once; with it, the push
 * opens a review request (the diff in its context) and the version becomes active only when that
 * request is approved (see {@link settlePolicyPush}).
 */
export async function pushPolicy(
  context: ServiceContext,
  principal: Principal,
  name: string,
  body: PushPolicyBody,
  approval?: PolicyApprovalOptions,
): Promise<PolicyVersion> {
  const file = body.file ?? `${name}.yaml`;
  assertValidPolicy(body.text, file);
  const now = isoTime(context.clock.now());
  const planned = await context.store.read(async (tx) => {
    const head = await tx.getPolicyHead(name);
    const active =
      head?.activeVersion == null ? undefined : await tx.getPolicyVersion(name, head.activeVersion);
    return { next: (await tx.latestPolicyVersion(name)) + 1, active };
  });
  const diffFor = (version: number, active: PolicyVersionRecord | undefined) =>
    lineDiff(active?.text ?? '', body.text, [
      active ? label(name, active.version) : '/dev/null',
      label(name, version),
    ]);
  let requestId: string | null = null;
  if (approval) {
    const { request } = await createRequest(context, principal, {
      action: `Activate version ${planned.next} of the Countersign policy "${name}"`,
      kind: 'review',
      quorum: approval.quorum,
      ...(approval.assignees.length > 0 ? { assignees: approval.assignees } : {}),
      context: {
        policy: name,
        version: planned.next,
        file,
        diff: diffFor(planned.next, planned.active),
      },
      metadata: { [POLICY_PUSH_METADATA]: { name, version: planned.next } },
    });
    requestId = request.id;
  }
  return context.store.transaction(async (tx) => {
    const version = (await tx.latestPolicyVersion(name)) + 1;
    if (requestId !== null && version !== planned.next) {
      throw fail(
        'conflict',
        `Another version of policy "${name}" was pushed meanwhile; push again`,
      );
    }
    const head = await tx.getPolicyHead(name);
    const active =
      head?.activeVersion == null ? undefined : await tx.getPolicyVersion(name, head.activeVersion);
    const record: PolicyVersionRecord = {
      name,
      version,
      text: body.text,
      file,
      author: principal.id,
      createdAt: now,
      state: approval ? 'proposed' : 'approved',
      requestId,
    };
    await tx.insertPolicyVersion(record);
    const diff = diffFor(version, active);
    const nextHead: PolicyHeadRecord = {
      name,
      activeVersion: approval ? (head?.activeVersion ?? null) : version,
      shadowVersion: head?.shadowVersion ?? null,
      updatedAt: now,
    };
    await tx.savePolicyHead(nextHead);
    await appendAudit(tx, {
      at: now,
      type: 'policy.pushed',
      requestId,
      actor: principal.id,
      data: { name, version, file, state: record.state, activated: !approval, diff },
    });
    if (!approval) await context.control?.changed(tx);
    return publicVersion(record, nextHead, { diff });
  });
}

/** Makes an existing, approved version the active one again. */
export async function rollbackPolicy(
  context: ServiceContext,
  principal: Principal,
  name: string,
  version: number,
): Promise<PolicyVersion> {
  return context.store.transaction(async (tx) => {
    const record = await loadVersion(tx, name, version);
    if (record.state !== 'approved') {
      throw fail('conflict', `Policy ${label(name, version)} is ${record.state}, not approved`);
    }
    const head = await tx.getPolicyHead(name);
    const from = head?.activeVersion ?? null;
    const previous = from === null ? undefined : await tx.getPolicyVersion(name, from);
    const now = isoTime(context.clock.now());
    const nextHead: PolicyHeadRecord = {
      name,
      activeVersion: version,
      shadowVersion: head?.shadowVersion ?? null,
      updatedAt: now,
    };
    await tx.savePolicyHead(nextHead);
    const diff = lineDiff(previous?.text ?? '', record.text, [
      from === null ? '/dev/null' : label(name, from),
      label(name, version),
    ]);
    await appendAudit(tx, {
      at: now,
      type: 'policy.rolled_back',
      requestId: null,
      actor: principal.id,
      data: { name, from, to: version, diff },
    });
    await context.control?.changed(tx);
    return publicVersion(record, nextHead, { diff });
  });
}

/** Attaches a version in shadow (`null` detaches): gates evaluate it beside the active one. */
export async function setShadowPolicy(
  context: ServiceContext,
  principal: Principal,
  name: string,
  version: number | null,
): Promise<void> {
  await context.store.transaction(async (tx) => {
    const head = await tx.getPolicyHead(name);
    if (!head) throw fail('not_found', `There is no policy "${name}"`);
    if (version !== null) {
      const record = await loadVersion(tx, name, version);
      if (record.state === 'rejected') {
        throw fail('conflict', `Policy ${label(name, version)} was rejected`);
      }
    }
    const now = isoTime(context.clock.now());
    await tx.savePolicyHead({ ...head, shadowVersion: version, updatedAt: now });
    await appendAudit(tx, {
      at: now,
      type: 'policy.shadow',
      requestId: null,
      actor: principal.id,
      data: { name, shadowVersion: version, previousShadowVersion: head.shadowVersion },
    });
    await context.control?.changed(tx);
  });
}
