import type { ApprovalService } from '../client/client-types.js';
import { invalidOptions } from '../errors/index.js';
import { createGate } from '../gate/create-gate.js';
import type { GateDecisionListener } from '../gate/gate-observer.js';
import { policyAndServiceProblems } from '../gate/gate-options.js';
import type { Gate } from '../gate/gate-types.js';
import type { Policy } from '../policy/policy-types.js';

/** The part of a gate every adapter calls; `createGate()` returns one, and so may a test double. */
export type AdapterGate = Pick<Gate, 'check'>;

/** A gate method an adapter may need besides `check`. */
export type GateMethod = 'check' | 'evaluate';

/** Where an adapter gets its gate: a ready `gate`, or the `policy` and `service` to make one. */
export interface GateSourceOptions<G extends AdapterGate = AdapterGate> {
  /**
   * A gate from `createGate` in `@countersign/core`. Give either this or `policy`/`service`. Use the
   * same gate everywhere one call is checked, so repeated checks of a call resume the same request.
   */
  gate?: G;
  /**
   * Without `gate`: the policy of the gate made for these options (`loadPolicy(path)`, `parsePolicy`
   * or `definePolicy`). Default: `DEFAULT_POLICY` (read-only tools run, everything else asks).
   */
  policy?: Policy;
  /**
   * Without `gate`: the approval service. Default: a `CountersignClient` from `COUNTERSIGN_URL` and
   * `COUNTERSIGN_API_KEY`, created on the first call that needs a human (so calls the policy allows
   * never need one configured).
   */
  service?: ApprovalService;
  /**
   * Without `gate`: the gate's `onDecision` hook (allowed / denied / required counts and gate
   * latency for your own metrics; see `GateOptions.onDecision`). With `gate`, give it to
   * `createGate`.
   */
  onDecision?: GateDecisionListener;
}

/** How {@link resolveGate} checks the options. */
export interface ResolveGateOptions {
  /** The methods the gate must have. Default `['check']`. */
  methods?: readonly GateMethod[];
  /** The adapter's own problems with its other options, reported in the same error. */
  problems?: readonly string[];
}

/**
 * The gate an adapter uses: the one given, or one made from `policy` and `service`. Every problem
 * with the options (and the adapter's own `problems`) is reported at once, as one
 * `CountersignError` with code `validation_failed` and a message starting with `owner`.
 *
 * @example
 * const gate = resolveGate(options, 'withApproval', { problems: myOwnChecks(options) });
 */
export function resolveGate<G extends AdapterGate>(
  options: GateSourceOptions<G> | undefined,
  owner: string,
  settings: ResolveGateOptions = {},
): G | Gate {
  if (typeof options !== 'object' || options === null) {
    throw invalidOptions(owner, ['options must be an object']);
  }
  const problems = [...gateSourceProblems(options, settings.methods ?? ['check'])];
  problems.push(...(settings.problems ?? []));
  if (problems.length > 0) throw invalidOptions(owner, problems);
  if (options.gate !== undefined) return options.gate;
  return createGate({
    ...(options.policy === undefined ? {} : { policy: options.policy }),
    ...(options.service === undefined ? {} : { service: options.service }),
    ...(options.onDecision === undefined ? {} : { onDecision: options.onDecision }),
  });
}

function gateSourceProblems(
  options: GateSourceOptions<AdapterGate>,
  methods: readonly GateMethod[],
): string[] {
  const problems: string[] = [];
  const { gate } = options;
  if (gate !== undefined) {
    const record = gate as unknown as Record<string, unknown> | null;
    if (methods.some((method) => typeof record?.[method] !== 'function')) {
      const needs = methods.map((method) => `${method}(input)`).join(' and ');
      problems.push(
        `gate must be a Countersign gate with ${needs} (createGate from @countersign/core)`,
      );
    }
    if (options.policy !== undefined || options.service !== undefined) {
      problems.push('give either gate or policy/service, not both');
    }
    if (options.onDecision !== undefined) {
      problems.push('with a ready gate, give onDecision to createGate instead');
    }
  }
  problems.push(...policyAndServiceProblems(options));
  return problems;
}
