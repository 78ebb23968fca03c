import type { ApprovalRequest } from '@countersign/core/protocol';
import { CountersignError } from '@countersign/core/protocol';
import { intentView } from './intent-view.js';

/** The answer to a control whose `expected_policy_generation` is no longer current. */
function stale(generation: number) {
  return {
    ok: true,
    applied: false,
    reason: 'stale_policy_generation',
    policy_generation: generation,
  } as const;
}

/**
 * Runs a resume, controls or policy change guarded by `expected_policy_generation`, which is our
 * request version: a stale one (checked first, and again by the service's own version check)
 * answers `applied: false, reason: "stale_policy_generation"` instead of changing anything.
 */
export async function applyWithGeneration(
  current: ApprovalRequest,
  expected: number | null | undefined,
  change: (expectedVersion: number) => Promise<ApprovalRequest>,
): Promise<Record<string, unknown>> {
  if (expected != null && expected !== current.version) return stale(current.version);
  try {
    const next = await change(expected ?? current.version);
    return {
      ok: true,
      applied: true,
      policy_generation: next.version,
      intent: intentView(next),
    };
  } catch (error) {
    if (CountersignError.isInstance(error) && error.code === 'version_conflict') {
      return stale(Number(error.details.version ?? current.version + 1));
    }
    throw error;
  }
}
