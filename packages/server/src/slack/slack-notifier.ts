import type { ApprovalRequest, RequestEvent } from '@countersign/core/protocol';
import { appendAudit } from '../audit/audit-chain.js';
import { isoTime } from '../clock.js';
import type { ServiceContext } from '../service/service-context.js';
import { SlackMessenger, type SlackTarget } from './slack-messenger.js';
import type { SlackSetup } from './slack-options.js';
import type { SlackPeople } from './slack-people.js';
import { slackTargetsOf } from './slack-targets.js';

/** The `notify:` targets of a request (the policy rule's and the create body's). */
export type NotifyTargetsOf = (request: ApprovalRequest) => readonly string[];

/**
 * Sends each new request to Slack and updates every message about a request once it is decided,
 * from whichever channel the decision came. A failed Slack call is an audit entry
 * (`slack.failed`) and never blocks the request or the other messages.
 */
export class SlackNotifier {
  readonly #context: ServiceContext;
  readonly #setup: SlackSetup;
  readonly #people: SlackPeople;
  readonly #notifyTargets: NotifyTargetsOf;
  readonly #messenger: SlackMessenger;
  readonly #logError: (error: unknown) => void;
  readonly #inFlight = new Set<Promise<void>>();
  #stop: (() => void) | undefined;

  constructor(
    context: ServiceContext,
    setup: SlackSetup,
    people: SlackPeople,
    options: { notifyTargets?: NotifyTargetsOf; logError?: (error: unknown) => void } = {},
  ) {
    this.#context = context;
    this.#setup = setup;
    this.#people = people;
    this.#notifyTargets = options.notifyTargets ?? (() => []);
    this.#messenger = new SlackMessenger(context, setup);
    this.#logError = options.logError ?? ((error) => console.error(error));
  }

  /** Listens to committed events. */
  start(): void {
    this.#stop ??= this.#context.bus.subscribe('*', (event) => this.#track(this.#onEvent(event)));
  }

  /** Stops listening and waits for the calls in flight. */
  async stop(): Promise<void> {
    this.#stop?.();
    this.#stop = undefined;
    await Promise.all([...this.#inFlight]);
  }

  /** Resolves once every Slack call started so far has finished (tests wait on it). */
  async idle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all([...this.#inFlight]);
  }

  #track(work: Promise<void>): void {
    const tracked = work.catch(this.#logError).finally(() => this.#inFlight.delete(tracked));
    this.#inFlight.add(tracked);
  }

  async #onEvent(event: RequestEvent): Promise<void> {
    if (event.type === 'created') {
      const request = event.request;
      const targets = await this.#context.store.read((tx) =>
        slackTargetsOf(
          tx,
          this.#people,
          request,
          this.#notifyTargets(request),
          this.#setup.defaultChannel,
        ),
      );
      await Promise.all(
        targets.map((target) =>
          this.#messenger
            .post(request, target)
            .catch((error) => this.#failed(request.id, 'post', error, target)),
        ),
      );
      return;
    }
    if (event.type === 'decided' || event.request.status !== 'pending') {
      await this.#messenger
        .update(event.requestId)
        .catch((error) => this.#failed(event.requestId, 'update', error));
    }
  }

  async #failed(
    requestId: string,
    step: 'post' | 'update',
    error: unknown,
    target?: SlackTarget,
  ): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    await this.#context.store.transaction((tx) =>
      appendAudit(tx, {
        at: isoTime(this.#context.clock.now()),
        type: 'slack.failed',
        requestId,
        actor: null,
        data: {
          step,
          error: message.slice(0, 500),
          ...(target ? { recipient: target.recipient } : {}),
        },
      }),
    );
  }
}
