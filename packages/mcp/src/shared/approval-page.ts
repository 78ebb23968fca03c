import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { Logger } from './logger.js';
import { errorMessage } from './startup-error.js';

/** The dashboard page of one request under `publicUrl` (the dashboard routes in the hash). */
export function approvalPageUrl(publicUrl: string, requestId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/#/requests/${encodeURIComponent(requestId)}`;
}

/**
 * Offers the user in an MCP client that supports URL-mode elicitation the dashboard page of a
 * pending request ("Open the approval page"). Opening it decides nothing: the reviewer signs in to
 * the dashboard and decides there, as themselves, under every rule. Offered once per connection
 * and request; `notifications/elicitation/complete` follows when the request is settled.
 */
export class ApprovalPageOffer {
  readonly #publicUrl: string | undefined;
  readonly #logger: Logger | undefined;
  readonly #offered = new WeakMap<Server, Set<string>>();

  constructor(publicUrl: string | undefined, logger?: Logger) {
    this.#publicUrl = publicUrl;
    this.#logger = logger;
  }

  /** True when there is a page to offer and this client can open links. */
  supported(server: Server): boolean {
    return this.#publicUrl !== undefined && !!server.getClientCapabilities()?.elicitation?.url;
  }

  /** Offers the page without waiting for the user (the call goes on waiting for the decision). */
  offer(server: Server, requestId: string, what: string): void {
    if (!this.supported(server)) return;
    let offered = this.#offered.get(server);
    if (!offered) {
      offered = new Set();
      this.#offered.set(server, offered);
    }
    if (offered.has(requestId)) return;
    offered.add(requestId);
    server
      .elicitInput(
        {
          mode: 'url',
          url: approvalPageUrl(this.#publicUrl!, requestId),
          elicitationId: requestId,
          message:
            `Open the approval page for ${what} (Countersign request ${requestId}). ` +
            'If you are a reviewer, you decide there as yourself; every rule still applies.',
        },
        { timeout: 24 * 60 * 60_000 },
      )
      // Declining or dismissing the link changes nothing: the request waits as before.
      .catch((error) => this.#logger?.info(`approval page not opened: ${errorMessage(error)}`));
  }

  /** Tells the client the request behind an offered page is settled. */
  complete(server: Server, requestId: string): void {
    if (!this.#offered.get(server)?.delete(requestId)) return;
    server
      .createElicitationCompletionNotifier(requestId)()
      .catch(() => {});
  }
}
