import type { ApprovalRequest } from '@countersign/core/protocol';
import { appendAudit } from '../audit/audit-chain.js';
import { isoTime } from '../clock.js';
import type { ServiceContext } from '../service/service-context.js';
import { outcomeMessage, pendingMessage, type SlackMessage } from './slack-blocks.js';
import type { SlackSetup } from './slack-options.js';

// What a message's record and audit entry are: delivery bookkeeping (see `TransactionOptions`),
// and what its reads are: delivery work (see `ReadOptions`).
const BOOKKEEPING = { background: true } as const;

/** Where one message about a request goes. */
export interface SlackTarget {
  /** The address it is kept under: a Slack member id (a direct message) or a channel as named. */
  recipient: string;
  /** What `chat.postMessage` gets as `channel`: a member id (a DM), `#name` or a channel id. */
  channel: string;
}

/**
 * Posts and updates the Slack messages about requests. Each method is one delivery that either
 * completes or throws, so a caller can retry it; posting twice to the same recipient is a no-op.
 */
export class SlackMessenger {
  readonly #context: Pick<ServiceContext, 'store' | 'clock'>;
  readonly #setup: SlackSetup;
  readonly #publicUrl: () => string | undefined;
  readonly #updates = new Map<string, Promise<void>>();

  /** `publicUrl` gives the base of "Open in dashboard" links when a message is built. */
  constructor(
    context: Pick<ServiceContext, 'store' | 'clock'>,
    setup: SlackSetup,
    publicUrl: () => string | undefined,
  ) {
    this.#context = context;
    this.#setup = setup;
    this.#publicUrl = publicUrl;
  }

  /** Posts the request's message to one target and remembers it for later updates. */
  async post(request: ApprovalRequest, target: SlackTarget): Promise<void> {
    if (await this.#messageFor(request.id, target)) return;
    await this.#postNew(request, target, pendingMessage(request, this.#publicUrl()));
    // Decided while the post was in flight: the update that ran then did not know this message.
    await this.update(request.id);
  }

  /**
   * Reminds a target of a pending request: a reply in the thread of its message (so the
   * reminder sits under what it is about), or the message itself when there is none yet.
   */
  async remind(request: ApprovalRequest, target: SlackTarget): Promise<void> {
    if (request.status !== 'pending') return;
    const earlier = await this.#messageFor(request.id, target);
    if (!earlier) return this.post(request, target);
    const due = request.deadline ? `; it expires ${request.deadline}` : '';
    await this.#setup.client.chat.postMessage({
      channel: earlier.channel,
      thread_ts: earlier.ts,
      text: `Reminder: this request still waits for a decision${due}.`,
    });
  }

  /**
   * Tells a target how a request ended: every message about it is updated, and a target that
   * had none gets the outcome as a new message when `fresh` (the requester, a channel).
   */
  async tellOutcome(request: ApprovalRequest, target: SlackTarget, fresh = true): Promise<void> {
    await this.update(request.id);
    if (!fresh || (await this.#messageFor(request.id, target))) return;
    await this.#postNew(request, target, outcomeMessage(request, this.#publicUrl()));
  }

  async #messageFor(requestId: string, target: SlackTarget) {
    const posted = await this.#context.store.read(
      (tx) => tx.listSlackMessages(requestId),
      BOOKKEEPING,
    );
    return posted.find((message) => message.recipient === target.recipient);
  }

  async #postNew(
    request: ApprovalRequest,
    target: SlackTarget,
    message: SlackMessage,
  ): Promise<void> {
    const { store, clock } = this.#context;
    const answer = await this.#setup.client.chat.postMessage({
      channel: target.channel,
      text: message.text,
      blocks: message.blocks,
      unfurl_links: false,
      unfurl_media: false,
    });
    const channel = answer.channel ?? target.channel;
    const ts = answer.ts as string;
    await store.transaction(async (tx) => {
      const now = clock.now();
      const added = await tx.insertSlackMessage({
        requestId: request.id,
        recipient: target.recipient,
        channel,
        ts,
        postedAt: now,
        shownVersion: request.version,
      });
      if (!added) return;
      await appendAudit(tx, {
        at: isoTime(now),
        type: 'slack.posted',
        requestId: request.id,
        actor: null,
        data: { recipient: target.recipient, channel, ts },
      });
    }, BOOKKEEPING);
  }

  /**
   * Brings every message about the request up to its current version: the outcome and who
   * decided, without buttons, once it is final; the approvals so far while it waits for a quorum.
   */
  update(requestId: string): Promise<void> {
    // One update per request at a time in this process: concurrent deliveries of the outcome to
    // several addresses then redraw each message once, not once per delivery.
    const previous = this.#updates.get(requestId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.#update(requestId));
    const settled = next.catch(() => undefined);
    this.#updates.set(requestId, settled);
    void settled.then(() => {
      if (this.#updates.get(requestId) === settled) this.#updates.delete(requestId);
    });
    return next;
  }

  async #update(requestId: string): Promise<void> {
    const { store, clock } = this.#context;
    const { request, messages } = await store.read(
      async (tx) => ({
        request: await tx.getRequest(requestId),
        messages: await tx.listSlackMessages(requestId),
      }),
      BOOKKEEPING,
    );
    if (!request) return;
    const stale = messages.filter((message) => message.shownVersion < request.version);
    if (stale.length === 0) return;
    const content =
      request.status === 'pending'
        ? pendingMessage(request, this.#publicUrl())
        : outcomeMessage(request, this.#publicUrl());
    const failures: unknown[] = [];
    for (const message of stale) {
      try {
        await this.#setup.client.chat.update({
          channel: message.channel,
          ts: message.ts,
          text: content.text,
          blocks: content.blocks,
        });
      } catch (error) {
        failures.push(error);
        continue;
      }
      await store.transaction(async (tx) => {
        if (!(await tx.setSlackMessageVersion(requestId, message.recipient, request.version)))
          return;
        await appendAudit(tx, {
          at: isoTime(clock.now()),
          type: 'slack.updated',
          requestId,
          actor: null,
          data: {
            recipient: message.recipient,
            channel: message.channel,
            ts: message.ts,
            version: request.version,
            status: request.status,
          },
        });
      }, BOOKKEEPING);
    }
    if (failures.length > 0) throw failures[0];
  }
}
