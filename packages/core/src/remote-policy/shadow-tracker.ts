import type { PolicyDecision } from '../policy/policy-types.js';
import type { ShadowReportBody } from '../protocol/index.js';

const MAX_SAMPLES = 20;

const summary = (decision: PolicyDecision) => ({
  action: decision.action,
  ...(decision.rule === undefined ? {} : { rule: decision.rule }),
});

/** Counts how often a shadow version decides differently from the active one, with a few samples. */
export class ShadowTracker {
  #evaluations = 0;
  #disagreements = 0;
  #samples: ShadowReportBody['samples'] = [];
  #versions: { active: number; shadow: number } | undefined;

  /** Records one call decided by both versions. */
  record(
    versions: { active: number; shadow: number },
    toolName: string,
    active: PolicyDecision,
    shadow: PolicyDecision,
  ): void {
    if (
      this.#versions &&
      (this.#versions.active !== versions.active || this.#versions.shadow !== versions.shadow)
    ) {
      // A new pair: what was counted belongs to the old one and is dropped with it.
      this.take();
    }
    this.#versions = versions;
    this.#evaluations += 1;
    if (active.action === shadow.action && active.rule === shadow.rule) return;
    this.#disagreements += 1;
    if (this.#samples.length < MAX_SAMPLES) {
      this.#samples.push({
        toolName: toolName.slice(0, 256),
        active: summary(active),
        shadow: summary(shadow),
        at: new Date().toISOString(),
      });
    }
  }

  /** The report since the last one (and resets), or undefined when nothing was evaluated. */
  take(): ShadowReportBody | undefined {
    const versions = this.#versions;
    if (!versions || this.#evaluations === 0) return undefined;
    const report: ShadowReportBody = {
      activeVersion: versions.active,
      shadowVersion: versions.shadow,
      evaluations: this.#evaluations,
      disagreements: this.#disagreements,
      samples: this.#samples,
    };
    this.#evaluations = 0;
    this.#disagreements = 0;
    this.#samples = [];
    return report;
  }
}
