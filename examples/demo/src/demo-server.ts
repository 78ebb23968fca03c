import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  createApiKey,
  type NewKeyOptions,
  openSqliteStore,
  type RunningServer,
  startServer,
} from '@countersign/server';

/** The server the demo runs in this process, with the keys it made for this run. */
export interface DemoServer {
  server: RunningServer;
  /** The key the demo agent calls the API with (`agent:deploy-bot`). */
  agentKey: string;
  /** The key you sign in to the dashboard with (`user:you`, group `release`). */
  reviewerKey: string;
}

function addressInUse(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE';
}

/**
 * Opens (or creates) the SQLite file, starts the API, dashboard, scheduler and webhook worker on
 * loopback, and creates a fresh agent key and reviewer key for this run.
 */
export async function startDemoServer(options: {
  dbPath: string;
  port: number;
  portExplicit: boolean;
}): Promise<DemoServer> {
  mkdirSync(dirname(options.dbPath), { recursive: true });
  const store = openSqliteStore({ path: options.dbPath });
  let server: RunningServer;
  try {
    // The demo tells its own story on the terminal: the server's request log would drown it.
    server = await startServer({ store, port: options.port, host: '127.0.0.1', logLevel: 'warn' });
  } catch (error) {
    if (!addressInUse(error) || options.portExplicit) {
      await store.close();
      throw error;
    }
    // 8787 is taken (perhaps by another Countersign): any free port will do for a demo.
    server = await startServer({ store, port: 0, host: '127.0.0.1', logLevel: 'warn' });
  }
  const key = async (spec: NewKeyOptions) =>
    (await store.transaction((tx) => createApiKey(tx, spec, new Date()))).key;
  return {
    server,
    agentKey: await key({ role: 'agent', name: 'deploy-bot' }),
    reviewerKey: await key({ role: 'reviewer', name: 'you', groups: ['release'] }),
  };
}
