import { invalidOptions } from '../errors/index.js';
import type { GateOptions } from './gate-types.js';

/** What is wrong with a gate's `policy` and `service`, if anything (adapters check the same). */
export function policyAndServiceProblems(
  options: Pick<GateOptions, 'policy' | 'service'>,
): string[] {
  const problems: string[] = [];
  const { policy, service } = options;
  if (policy !== undefined && typeof policy?.evaluate !== 'function') {
    problems.push('policy must come from loadPolicy, parsePolicy or definePolicy');
  }
  if (
    service !== undefined &&
    (typeof service?.create !== 'function' || typeof service?.wait !== 'function')
  ) {
    problems.push('service must implement ApprovalService (create, wait, ...)');
  }
  return problems;
}

/** Refuses a bad gate configuration at construction, not at the first risky call. */
export function assertGateOptions(options: GateOptions): void {
  const problems = policyAndServiceProblems(options);
  const { defaultWaitTimeoutMs, rejectionCacheSize } = options;
  if (
    defaultWaitTimeoutMs !== undefined &&
    !(Number.isFinite(defaultWaitTimeoutMs) && defaultWaitTimeoutMs >= 0)
  ) {
    problems.push('defaultWaitTimeoutMs must be a finite number of milliseconds, 0 or more');
  }
  if (
    rejectionCacheSize !== undefined &&
    !(Number.isSafeInteger(rejectionCacheSize) && rejectionCacheSize >= 0)
  ) {
    problems.push('rejectionCacheSize must be a whole number, 0 or more');
  }
  if (options.onDecision !== undefined && typeof options.onDecision !== 'function') {
    problems.push('onDecision must be a function');
  }
  if (problems.length > 0) throw invalidOptions('createGate', problems);
}
