import { createHash } from 'node:crypto';
import type { ControlPolicy, ControlState, Stop } from '@countersign/core/protocol';
import type { Principal } from '../auth/principal.js';
import type { PolicyVersionRecord, StopRecord } from '../store/policy-records.js';
import type { StoreTx } from '../store/store-types.js';

function asControlPolicy(record: PolicyVersionRecord | undefined): ControlPolicy | null {
  return record
    ? { name: record.name, version: record.version, file: record.file, text: record.text }
    : null;
}

/** Whether a stop of `scope` reaches a gate of `principal` following `policyName`. */
export function stopReaches(scope: string, principal: Principal, policyName?: string): boolean {
  return (
    scope === 'all' ||
    (principal.role === 'agent' && scope === `agent:${principal.name}`) ||
    (policyName !== undefined && scope === `policy:${policyName}`)
  );
}

/** The stop that applies, preferring the widest scope (`all`, then the agent, then the policy). */
function applicableStop(
  stops: readonly StopRecord[],
  principal: Principal,
  policyName: string | undefined,
): Stop | null {
  const reaching = stops.filter((stop) => stopReaches(stop.scope, principal, policyName));
  const rank = (stop: StopRecord) =>
    stop.scope === 'all' ? 0 : stop.scope.startsWith('agent:') ? 1 : 2;
  reaching.sort((left, right) => rank(left) - rank(right));
  const stop = reaching[0];
  return stop ? { scope: stop.scope, reason: stop.reason, actor: stop.actor, at: stop.at } : null;
}

/** What every gate of one policy shares: read once per change, however many gates listen. */
export interface SharedControl {
  policy: ControlPolicy | null;
  shadow: ControlPolicy | null;
  stops: StopRecord[];
}

/** Reads the active and shadow versions of `policyName` and every stop. */
export async function readSharedControl(
  tx: StoreTx,
  policyName: string | undefined,
): Promise<SharedControl> {
  const head = policyName === undefined ? undefined : await tx.getPolicyHead(policyName);
  const active =
    head?.activeVersion == null
      ? undefined
      : await tx.getPolicyVersion(head.name, head.activeVersion);
  const shadow =
    head?.shadowVersion == null
      ? undefined
      : await tx.getPolicyVersion(head.name, head.shadowVersion);
  return {
    policy: asControlPolicy(active),
    shadow: asControlPolicy(shadow),
    stops: await tx.listStops(),
  };
}

/** The state one gate of `principal` runs, from what its policy's gates share. */
export function controlStateFor(
  shared: SharedControl,
  principal: Principal,
  policyName: string | undefined,
): ControlState {
  const stop = applicableStop(shared.stops, principal, policyName);
  const etag = createHash('sha256')
    .update(
      JSON.stringify([
        shared.policy?.version ?? null,
        shared.shadow?.version ?? null,
        stop ? [stop.scope, stop.reason, stop.at] : null,
      ]),
    )
    .digest('hex')
    .slice(0, 32);
  return { etag: `"${etag}"`, policy: shared.policy, shadow: shared.shadow, stop };
}

/** What a gate of `principal` following `policyName` (or no central policy) runs now. */
export async function readControlState(
  tx: StoreTx,
  principal: Principal,
  policyName: string | undefined,
): Promise<ControlState> {
  return controlStateFor(await readSharedControl(tx, policyName), principal, policyName);
}
