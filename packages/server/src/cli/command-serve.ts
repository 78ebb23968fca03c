import { parseArgs } from 'node:util';
import { createApiKey } from '../auth/api-keys.js';
import { startServer } from '../server.js';
import { CallbackHostList } from '../webhooks/callback-hosts.js';
import { CliError, type CliIo } from './cli-support.js';
import { openStoreFromFlags, STORE_OPTIONS } from './open-store.js';

/**
 * The callback allow-list from `--callback-hosts a,b` or `COUNTERSIGN_CALLBACK_HOSTS` (comma
 * separated; an empty variable counts as unset). Malformed entries stop the command before start.
 */
export function callbackHostsFrom(
  flag: string | undefined,
  env: NodeJS.ProcessEnv,
): string[] | undefined {
  const fromEnv = env.COUNTERSIGN_CALLBACK_HOSTS?.trim()
    ? env.COUNTERSIGN_CALLBACK_HOSTS
    : undefined;
  const text = flag ?? fromEnv;
  if (text === undefined) return undefined;
  const source = flag === undefined ? 'COUNTERSIGN_CALLBACK_HOSTS' : '--callback-hosts';
  const entries = text.split(',').map((entry) => entry.trim());
  try {
    CallbackHostList.parse(entries);
  } catch (error) {
    throw new CliError(`${source}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return entries;
}

const DAY_MS = 86_400_000;
const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: DAY_MS };

/**
 * Milliseconds from `--idempotency-retention`: a whole number with a unit, `m`, `h` or `d` (such as
 * `36h` or `7d`), at least 24 hours.
 */
export function retentionFrom(text: string): number {
  const match = /^(\d{1,6})([mhd])$/.exec(text.trim());
  const ms = match ? Number(match[1]) * (UNIT_MS[match[2] as string] as number) : Number.NaN;
  if (!(ms >= DAY_MS)) {
    throw new CliError(
      `--idempotency-retention must be a duration of at least 24h, such as 36h or 7d, not "${text}"`,
    );
  }
  return ms;
}

/**
 * `countersign serve [--port 8787] [--host 127.0.0.1] [--db FILE | --database-url postgres://…]
 * [--callback-hosts a.example,10.0.0.5:8080,*.internal] [--idempotency-retention 7d]`
 */
export async function serveCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string', default: '8787' },
      host: { type: 'string', default: '127.0.0.1' },
      'callback-hosts': { type: 'string' },
      'idempotency-retention': { type: 'string' },
      ...STORE_OPTIONS,
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new CliError(`--port must be a port number, not "${values.port}"`);
  }
  const callbackHosts = callbackHostsFrom(values['callback-hosts'], io.env);
  const retention = values['idempotency-retention'];
  const idempotencyRetentionMs = retention === undefined ? undefined : retentionFrom(retention);
  const store = await openStoreFromFlags(values, io.env);
  const firstStart = await store.transaction(async (tx) => {
    if ((await tx.listApiKeys()).length > 0) return undefined;
    return (await createApiKey(tx, { role: 'admin', name: 'admin' })).key;
  });
  if (firstStart) {
    io.out(`Created the database with an admin key (shown once, keep it): ${firstStart}`);
  }
  const server = await startServer({
    store,
    port,
    host: values.host,
    ...(callbackHosts ? { callbackHosts } : {}),
    ...(idempotencyRetentionMs === undefined ? {} : { scheduler: { idempotencyRetentionMs } }),
  });
  io.out(`Countersign listening on ${server.url}`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    if (io.signal?.aborted) stop();
    io.signal?.addEventListener('abort', stop, { once: true });
  });
  await server.close();
  return 0;
}
