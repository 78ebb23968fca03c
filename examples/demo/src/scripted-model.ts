import type { JsonObject } from '@countersign/core';

/** What the model does next: call a tool, or finish with an answer. */
export type ModelTurn =
  | { kind: 'call'; thought: string; toolName: string; args: JsonObject }
  | { kind: 'finish'; text: string };

/** What happened to the model's last tool call, as the agent reports it back. */
export type ToolObservation =
  | { outcome: 'ran'; result: string }
  | { outcome: 'refused'; message: string; rejectionReason?: string };

/** The most proposals the scripted model makes before it gives up. */
export const MAX_PROPOSALS = 3;

/**
 * A scripted stand-in for a model, so the demo needs no API key and no network: it wants
 * `deploy({ env: 'prod', version: 'v2.4.1' })`; after a human rejection it revises to the next
 * patch as a canary and asks again; once a deploy ran, or when a call was refused for any other
 * reason (expired, service down), it reports and stops.
 */
export function createScriptedModel(): (last?: ToolObservation) => ModelTurn {
  let proposals = 0;
  return (last) => {
    if (last?.outcome === 'ran') return { kind: 'finish', text: `Done. ${last.result}` };
    // Only a human "no" with a reason is something to revise; expiry or an outage is not.
    if (last?.outcome === 'refused' && last.rejectionReason === undefined) {
      return { kind: 'finish', text: `The deploy did not run: ${last.message} I stop here.` };
    }
    if (proposals >= MAX_PROPOSALS) {
      return {
        kind: 'finish',
        text: `I stopped after ${proposals} deploy proposals without approval; a human should take it from here.`,
      };
    }
    proposals += 1;
    if (last === undefined) {
      return {
        kind: 'call',
        thought: 'Release v2.4.1 passed CI and the user asked me to ship it to production.',
        toolName: 'deploy',
        args: { env: 'prod', version: 'v2.4.1' },
      };
    }
    const patch = proposals;
    const why = `The reviewer said: "${last.rejectionReason}". `;
    return {
      kind: 'call',
      thought: `${why}I will revise: ship v2.4.${patch} as a canary (5% of traffic) and ask again.`,
      toolName: 'deploy',
      args: { env: 'prod', version: `v2.4.${patch}`, canary: true },
    };
  };
}
