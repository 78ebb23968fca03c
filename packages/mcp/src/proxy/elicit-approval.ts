import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { errorMessage } from '../shared/startup-error.js';

/** Where a call that needs a human is asked. See the policy's `approval.channel`. */
export type ApprovalChannel = 'server' | 'elicit' | 'elicit-then-server';

/** What the user answered in the client. `unsupported`: the client cannot elicit; use the server. */
export type ElicitOutcome =
  | { outcome: 'approved' }
  | { outcome: 'declined'; message: string }
  | { outcome: 'unsupported' };

/** Options for {@link elicitApproval}. */
export interface ElicitApprovalOptions {
  toolName: string;
  args: Record<string, unknown>;
  /** How long the user has to answer. */
  timeoutMs: number;
  signal?: AbortSignal;
}

/**
 * Asks the user right in the MCP client (an elicitation form) whether a call may run. Only an
 * explicit accept with `approve: true` approves; decline, cancel, a timeout or any error declines.
 */
export async function elicitApproval(
  server: Server,
  options: ElicitApprovalOptions,
): Promise<ElicitOutcome> {
  if (!server.getClientCapabilities()?.elicitation) return { outcome: 'unsupported' };
  const call = `${options.toolName}(${JSON.stringify(options.args)})`;
  try {
    const answer = await server.elicitInput(
      {
        mode: 'form',
        message: `Allow the agent to run ${call}?`,
        requestedSchema: {
          type: 'object',
          properties: {
            approve: { type: 'boolean', title: 'Approve', description: `Run ${options.toolName}` },
            reason: { type: 'string', title: 'Reason (optional)', maxLength: 500 },
          },
          required: ['approve'],
        },
      },
      { timeout: options.timeoutMs, signal: options.signal },
    );
    if (answer.action === 'accept' && answer.content?.approve === true)
      return { outcome: 'approved' };
    const reason = typeof answer.content?.reason === 'string' ? answer.content.reason : undefined;
    const how = answer.action === 'cancel' ? 'dismissed the confirmation for' : 'declined';
    return {
      outcome: 'declined',
      message:
        `The user ${how} ${options.toolName} in the client, so it did not run.` +
        (reason ? ` Their reason: ${reason}` : ' Do not retry it without asking the user.'),
    };
  } catch (error) {
    return {
      outcome: 'declined',
      message: `${options.toolName} did not run: the user's confirmation in the client failed (${errorMessage(error)}).`,
    };
  }
}
