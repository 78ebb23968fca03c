import { fingerprint } from '@countersign/core';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import type { ElicitOutcome } from '../proxy/elicit-approval.js';

/** The client capability (`extensions`) of hosts that render MCP Apps. */
export const MCP_APPS_EXTENSION = 'io.modelcontextprotocol/ui';

/** The proxy's tool the approval card calls (through its host) to answer an `elicit` approval. */
export const CARD_CONFIRM_TOOL = 'countersign_confirm';

/** Listed for MCP Apps only (`visibility: ["app"]`): the model never sees or calls it. */
export const cardConfirmTool: Tool = {
  name: CARD_CONFIRM_TOOL,
  title: 'Answer an approval from the approval card',
  description:
    'Used by the Countersign approval card: approves or rejects a call that waits for the user in this client.',
  inputSchema: {
    type: 'object',
    properties: {
      tool: { type: 'string', description: 'The waiting call: its tool name.' },
      arguments: { type: 'object', description: 'The waiting call: its arguments.' },
      approve: { type: 'boolean', description: 'True approves, false rejects.' },
      reason: { type: 'string', description: 'Why (shown to the model on a rejection).' },
    },
    required: ['tool', 'arguments', 'approve'],
  },
  annotations: { openWorldHint: false },
  _meta: { ui: { visibility: ['app'] } },
};

type Waiter = (outcome: ElicitOutcome) => void;

/**
 * Calls waiting for the user in the client (the `elicit` channel), by connection and call
 * (tool and arguments): the approval card answers them as the elicitation form does, first answer wins.
 */
export class CardConfirmations {
  readonly #waiting = new WeakMap<Server, Map<string, Waiter>>();

  /** Resolves when the card answers this call; `signal` (the form answered, or the call ended) withdraws it. */
  wait(server: Server, tool: string, args: unknown, signal: AbortSignal): Promise<ElicitOutcome> {
    return new Promise((resolve) => {
      const key = fingerprint(tool, args as Record<string, unknown>);
      let waiting = this.#waiting.get(server);
      if (!waiting) {
        waiting = new Map();
        this.#waiting.set(server, waiting);
      }
      waiting.set(key, resolve);
      signal.addEventListener('abort', () => waiting.delete(key), { once: true });
    });
  }

  /** The card's answer; false when no such call waits on this connection. */
  answer(server: Server, tool: string, args: unknown, approve: boolean, reason?: string): boolean {
    let key: string;
    try {
      key = fingerprint(tool, args as Record<string, unknown>);
    } catch {
      return false;
    }
    const waiting = this.#waiting.get(server);
    const resolve = waiting?.get(key);
    if (!resolve) return false;
    waiting!.delete(key);
    resolve(
      approve
        ? { outcome: 'approved' }
        : {
            outcome: 'declined',
            message: `The user rejected ${tool} in the approval card${reason ? `: ${reason}` : ''}. It did not run.`,
          },
    );
    return true;
  }
}
