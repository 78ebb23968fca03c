function ruleName(rule: string | undefined): string {
  return rule === undefined ? "the policy's default" : `rule "${rule}"`;
}

/** Messages for the model: each says plainly what happened, so the model does not retry blindly. */
export const gateMessages = {
  policy: (toolName: string, rule: string | undefined) =>
    `The policy does not allow calling "${toolName}"${rule === undefined ? '' : ` (rule "${rule}")`}. The call did not run. Do not retry it; tell the user it is not permitted.`,
  editedDenied: (detail: string) =>
    `A human reviewer edited the arguments, but the policy does not allow the edited call: ${detail} The call did not run.`,
  reasked: (rule: string | undefined, requestId: string) =>
    `A human reviewer edited the arguments (request ${requestId}), and the edited call needs approval under ${ruleName(rule)}, so it was asked again under that rule.`,
  editedEscapedAgain: (rule: string | undefined) =>
    `A human reviewer edited the arguments again, into a call that needs approval under ${ruleName(rule)}; the call was already asked again once, so the edit was not approved and the call did not run. Tell the user.`,
  rejected: (reason: string) =>
    `A human reviewer rejected this call: ${reason}. Do not retry the same call; revise it or ask the user.`,
  rejectedBefore: (reason: string) =>
    `A human reviewer already rejected this exact call earlier in this run: ${reason}. Do not retry the same call; revise it or ask the user.`,
  expired: () =>
    'No one decided in time (the approval request expired); this is not a rejection. The call did not run. Ask the user whether to try again later.',
  cancelled: () =>
    'The approval request was cancelled before anyone decided; this is not a rejection. The call did not run.',
  unavailable: () =>
    'The approval service could not be reached or did not answer properly, so this call, which needs human approval, did not run. This is not a rejection; try again later or tell the user.',
  unavailableWhileWaiting: (requestId: string, seconds: number) =>
    `The approval service could not be reached or did not answer properly while this call was waiting for a human decision (request ${requestId}); the gate kept trying for ${seconds} s, then stopped, so the call did not run. This is not a rejection, and the request may still be decided: try the same call again later (it re-attaches to the request) or tell the user.`,
  invalid: (detail: string) =>
    `The call could not be approved safely (${detail}), so it did not run. This is not a rejection by a human.`,
  duplicateCall: () =>
    'This tool call id was already sent for approval in this run with the same arguments but different details (context or approval settings), so it was not asked again and the call did not run. This is not a rejection; issue the call with a new tool call id.',
  alreadyRan: (requestId: string, state: string) =>
    `This approved call (request ${requestId}) is already running or ran (reported ${state}), so it was not run again. Do not retry it; check its result or tell the user.`,
  aborted: () => 'Waiting for human approval was aborted; the call did not run.',
  responded: () =>
    'A human answered instead of running the tool; their response is the result of this call.',
  pending: (requestId: string) =>
    `This call is waiting for a human decision (request ${requestId}); it has not run. Check again later with the same call; do not issue a new one.`,
} as const;
