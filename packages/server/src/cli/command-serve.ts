import { parseArgs } from 'node:util';
import { startTracing } from '@countersign/core/telemetry';
import { createApiKey } from '../auth/api-keys.js';
import { loadServerConfig, optionFlags } from '../config/load-server-config.js';
import { printConfig } from '../config/print-config.js';
import { resolveServerConfig } from '../config/resolve-server-config.js';
import { startServer } from '../server.js';
import { openConfiguredStore } from '../store/open-configured-store.js';
import type { CliIo } from './cli-support.js';
import { asCliError, withCliMessages } from './open-store.js';

/**
 * The callback allow-list from `--callback-hosts a,b` or `COUNTERSIGN_CALLBACK_HOSTS` (comma
 * separated; an empty variable counts as unset). Malformed entries stop the command before start.
 */
export function callbackHostsFrom(
  flag: string | undefined,
  env: NodeJS.ProcessEnv,
): string[] | undefined {
  const { COUNTERSIGN_CALLBACK_HOSTS } = env;
  return cliConfig({ 'callback-hosts': flag }, { COUNTERSIGN_CALLBACK_HOSTS }).callbackHosts;
}

/**
 * Milliseconds from `--idempotency-retention`: a whole number with a unit (such as `36h` or `7d`),
 * at least 24 hours.
 */
export function retentionFrom(text: string): number {
  return cliConfig({ 'idempotency-retention': text }, {}).scheduler.idempotencyRetentionMs;
}

function cliConfig(flags: Record<string, string | undefined>, env: NodeJS.ProcessEnv) {
  try {
    return resolveServerConfig({ flags, env }).config;
  } catch (error) {
    throw asCliError(error);
  }
}

/**
 * `countersign serve [--config countersign.server.yaml] [--print-config [--json]]` and a flag per
 * option (`--port`, `--db`, `--database-url`, `--callback-hosts`, …; see the README's table).
 */
export async function serveCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      ...optionFlags(),
      config: { type: 'string' },
      'print-config': { type: 'boolean' },
      json: { type: 'boolean' },
    },
    strict: true,
  });
  const resolved = await withCliMessages(() =>
    loadServerConfig({
      flags: values,
      env: io.env,
      ...(values.config === undefined ? {} : { configFile: values.config }),
    }),
  );
  if (values['print-config']) {
    io.write(printConfig(resolved, values.json ? 'json' : 'yaml'));
    return 0;
  }
  const { config } = resolved;
  const store = await withCliMessages(() => openConfiguredStore(config));
  const firstStart = await store.transaction(async (tx) => {
    if ((await tx.listApiKeys()).length > 0) return undefined;
    return (await createApiKey(tx, { role: 'admin', name: 'admin' })).key;
  });
  if (firstStart) {
    io.out(`Created the database with an admin key (shown once, keep it): ${firstStart}`);
  }
  // Only when the standard OTEL_* variables ask for it; the SDK is not even loaded otherwise.
  const tracing = await startTracing('countersign-server', io.env);
  // A start that fails (an OpenID provider that cannot be discovered, say) is one line, as above.
  const server = await withCliMessages(() => startServer({ ...config, store })).catch(
    async (error: unknown) => {
      await tracing?.shutdown?.();
      await store.close();
      throw error;
    },
  );
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
  await tracing?.shutdown();
  return 0;
}
