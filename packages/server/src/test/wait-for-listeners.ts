import type { EventBus } from '../service/event-bus.js';

/** Options for {@link waitForListeners}. */
export interface WaitForListenersOptions {
  /** Count the listeners of this request only (or the every-event streams with `'*'`). Default: all. */
  requestId?: string;
  /** Fail after this many milliseconds (default 5000). */
  timeoutMs?: number;
}

const CHECK_EVERY_MS = 5;

/** How many listeners `bus` has on `requestId` (every listener when absent). */
export function listenersOf(bus: EventBus, requestId?: string): number {
  return requestId === undefined ? bus.size : bus.listenerCount(requestId);
}

/**
 * Resolves once exactly `count` listeners are attached to `bus`: a parked long-poll or an open event
 * stream each hold one. Tests wait for this fact instead of sleeping "so the poll is parked".
 */
export async function waitForListeners(
  bus: EventBus,
  count: number,
  options: WaitForListenersOptions = {},
): Promise<void> {
  const { requestId } = options;
  const current = () => listenersOf(bus, requestId);
  const deadline = Date.now() + (options.timeoutMs ?? 5000);
  while (current() !== count) {
    if (Date.now() > deadline) {
      const scope = requestId === undefined ? '' : ` on ${requestId}`;
      throw new Error(`Expected ${count} listener(s)${scope}, found ${current()} after waiting`);
    }
    await new Promise((resolve) => setTimeout(resolve, CHECK_EVERY_MS));
  }
}
