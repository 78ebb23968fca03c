import { abortedError } from '../client/abort.js';
import type { WaitOptions } from '../client/client-types.js';
import type { ApprovalRequest, RequestEvent } from '../protocol/index.js';

interface Waiter {
  requestId: string;
  onEvent: (event: RequestEvent) => void;
}

/** The pending `wait` calls of the fake, woken by the events it emits. */
export class FakeWaiters {
  readonly #waiters = new Set<Waiter>();

  /** Hands `event` to every waiter on its request. */
  notify(event: RequestEvent): void {
    for (const waiter of [...this.#waiters]) {
      if (waiter.requestId === event.requestId) waiter.onEvent(structuredClone(event));
    }
  }

  /**
   * Resolves with the request once an event shows it terminal, with `current()` when `timeoutMs`
   * passes, and rejects with an `aborted` error when the signal fires.
   */
  wait(
    requestId: string,
    current: () => ApprovalRequest,
    options: WaitOptions,
  ): Promise<ApprovalRequest> {
    const { signal, timeoutMs, onEvent } = options;
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(abortedError(signal));
        return;
      }
      let timer: ReturnType<typeof setTimeout> | undefined;
      const finish = (): void => {
        this.#waiters.delete(waiter);
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = (): void => {
        finish();
        reject(abortedError(signal as AbortSignal));
      };
      const waiter: Waiter = {
        requestId,
        onEvent: (event) => {
          onEvent?.(event);
          if (event.request.status === 'pending') return;
          finish();
          resolve(event.request);
        },
      };
      this.#waiters.add(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          finish();
          resolve(current());
        }, timeoutMs);
      }
    });
  }
}
