import { stoppedMessage } from '../protocol/index.js';

/** Messages for the model from a gate following a central policy. */
export const remoteMessages = {
  stopped: stoppedMessage,
  notLoaded: (name: string, problem: string) =>
    `Countersign could not load the policy "${name}" from the server (${problem}), so no tool call may run: nothing is allowed without a policy. The call did not run. This is not a rejection; try again later or tell the user.`,
  stale: (name: string, seconds: number) =>
    `Countersign has not been able to reach the server for ${seconds} s, longer than allowed, so it cannot tell whether an operator stopped this agent or changed the policy "${name}". The call did not run. This is not a rejection; try again later or tell the user.`,
} as const;
