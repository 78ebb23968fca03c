import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';

/** The `extra` argument of a low-level `Server` request handler. */
export type HandlerExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** Options for {@link startProgressHeartbeat}. */
export interface ProgressHeartbeatOptions {
  /** Milliseconds between notifications. */
  intervalMs: number;
  /** The text shown with each notification. */
  message: string;
}

/**
 * Keeps a long tool call alive: sends `notifications/progress` with the request's
 * `_meta.progressToken` right away and then every `intervalMs`, so clients that reset their
 * timeout on progress keep waiting. Without a progress token it does nothing. Returns a stop function.
 */
export function startProgressHeartbeat(
  extra: Pick<HandlerExtra, '_meta' | 'sendNotification'>,
  options: ProgressHeartbeatOptions,
): () => void {
  const progressToken = extra._meta?.progressToken;
  if (progressToken === undefined) return () => {};
  let progress = 0;
  const beat = () => {
    progress += 1;
    extra
      .sendNotification({
        method: 'notifications/progress',
        params: { progressToken, progress, message: options.message },
      })
      // A client that went away cannot be told anything; the wait itself decides what happens.
      .catch(() => {});
  };
  beat();
  const timer = setInterval(beat, options.intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
