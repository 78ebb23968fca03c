import { parseArgs } from 'node:util';
import { createApiKey } from '../auth/api-keys.js';
import { startServer } from '../server.js';
import { CliError, type CliIo } from './cli-support.js';
import { openStoreFromFlags, STORE_OPTIONS } from './open-store.js';

/** `countersign serve [--port 8787] [--host 127.0.0.1] [--db FILE | --database-url postgres://…]` */
export async function serveCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string', default: '8787' },
      host: { type: 'string', default: '127.0.0.1' },
      ...STORE_OPTIONS,
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new CliError(`--port must be a port number, not "${values.port}"`);
  }
  const store = await openStoreFromFlags(values, io.env);
  const firstStart = await store.transaction(async (tx) => {
    if ((await tx.listApiKeys()).length > 0) return undefined;
    return (await createApiKey(tx, { role: 'admin', name: 'admin' })).key;
  });
  if (firstStart) {
    io.out(`Created the database with an admin key (shown once, keep it): ${firstStart}`);
  }
  const server = await startServer({ store, port, host: values.host });
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
