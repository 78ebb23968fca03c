import type { ServiceContext } from '../service/service-context.js';
import type { SlackMessenger } from './slack-messenger.js';

/**
 * Keeps the Slack messages of pending requests current between notifications: after a partial
 * approval or an edit (which notify nobody) every message is redrawn with the approvals so far
 * and the arguments that now stand, so its buttons approve what it shows. Best effort: a failed
 * update is logged and the next change redraws it; outcomes go through the notification outbox.
 */
export class SlackProgress {
  readonly #context: ServiceContext;
  readonly #messenger: SlackMessenger;
  readonly #logError: (error: unknown) => void;
  readonly #inFlight = new Set<Promise<void>>();
  #stop: (() => void) | undefined;

  constructor(
    context: ServiceContext,
    messenger: SlackMessenger,
    logError: (error: unknown) => void,
  ) {
    this.#context = context;
    this.#messenger = messenger;
    this.#logError = logError;
  }

  /** Listens to committed decisions. */
  start(): void {
    this.#stop ??= this.#context.bus.subscribe('*', (event) => {
      if (event.type !== 'decided' || event.request.status !== 'pending') return;
      const work = this.#messenger
        .update(event.requestId)
        .catch(this.#logError)
        .finally(() => this.#inFlight.delete(work));
      this.#inFlight.add(work);
    });
  }

  /** Stops listening and waits for the updates in flight. */
  async stop(): Promise<void> {
    this.#stop?.();
    this.#stop = undefined;
    await this.idle();
  }

  /** Resolves once every update started so far has finished. */
  async idle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all([...this.#inFlight]);
  }
}
