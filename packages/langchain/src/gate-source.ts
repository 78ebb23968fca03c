import {
  CountersignError,
  createGate,
  type GateCheckInput,
  type GateDecision,
  type GateOptions,
  type Policy,
} from '@countersign/core';

/** The approval service a gate talks to (`CountersignClient`, or a fake in unit tests). */
export type ApprovalServiceLike = NonNullable<GateOptions['service']>;

/** What the adapter needs from a gate: `createGate(...)` from `@countersign/core` fits. */
export interface CountersignGate {
  check(input: GateCheckInput): Promise<GateDecision>;
}

/** Where the adapter gets its gate: pass a ready `gate`, or a `policy` and a `service`. */
export interface GateSourceOptions {
  /** A gate from `createGate` in `@countersign/core`. Give either this or `policy`/`service`. */
  gate?: CountersignGate;
  /**
   * The policy deciding which calls need a human (`loadPolicy(path)`, `parsePolicy` or
   * `definePolicy` from `@countersign/core`). Default: the core's `DEFAULT_POLICY` (read-only tools
   * run, everything else asks).
   */
  policy?: Policy;
  /**
   * The approval service. Default: a `CountersignClient` configured from `COUNTERSIGN_URL` and
   * `COUNTERSIGN_API_KEY`.
   */
  service?: ApprovalServiceLike;
}

/** Builds the gate from the options, rejecting contradictory configuration at construction. */
export function resolveGate(options: GateSourceOptions, owner: string): CountersignGate {
  if (options.gate !== undefined) {
    if (options.policy !== undefined || options.service !== undefined) {
      throw new CountersignError('validation_failed', {
        message: `${owner}: give either \`gate\` or \`policy\`/\`service\`, not both`,
      });
    }
    if (typeof options.gate.check !== 'function') {
      throw new CountersignError('validation_failed', {
        message: `${owner}: \`gate\` must have a check(input) method (use createGate from @countersign/core)`,
      });
    }
    return options.gate;
  }
  // Without a service the gate creates a CountersignClient from the environment on first use, so
  // calls the policy allows never need one configured.
  return createGate({
    ...(options.service === undefined ? {} : { service: options.service }),
    ...(options.policy === undefined ? {} : { policy: options.policy }),
  });
}
