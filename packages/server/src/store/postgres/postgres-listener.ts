import pg from 'pg';

/** Options for {@link startListener}. */
export interface ListenerOptions {
  connectionString: string;
  channel: string;
  /** The fallback poll: `onSignal` also runs this often, in case a notification was lost. */
  pollIntervalMs: number;
  /** Whether to LISTEN at all (false leaves only the poll). */
  notifications: boolean;
  /** Called on every notification, every poll tick and after every (re)connection. */
  onSignal: () => void;
  onError: (error: unknown) => void;
}

/**
 * Keeps one connection LISTENing on the channel, reconnecting after failures, and polls slowly
 * beside it, so another replica's commit is noticed at once normally and within one poll at worst.
 */
export function startListener(options: ListenerOptions): { stop(): Promise<void> } {
  let stopped = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  const poll = setInterval(options.onSignal, options.pollIntervalMs);
  poll.unref();

  async function connect(): Promise<void> {
    const next = new pg.Client({ connectionString: options.connectionString });
    next.on('notification', () => options.onSignal());
    next.on('error', (error) => {
      options.onError(error);
      reconnect(next);
    });
    next.on('end', () => reconnect(next));
    client = next;
    try {
      await next.connect();
      await next.query(`LISTEN "${options.channel}"`);
      if (stopped) await next.end();
      else options.onSignal();
    } catch (error) {
      if (!stopped) options.onError(error);
      reconnect(next);
    }
  }

  function reconnect(failed: pg.Client): void {
    if (stopped || client !== failed || retry) return;
    client = undefined;
    failed.end().catch(() => undefined);
    retry = setTimeout(() => {
      retry = undefined;
      void connect();
    }, options.pollIntervalMs);
    retry.unref();
  }

  if (options.notifications) void connect();
  return {
    async stop() {
      stopped = true;
      clearInterval(poll);
      clearTimeout(retry);
      const current = client;
      client = undefined;
      await current?.end().catch(() => undefined);
    },
  };
}
