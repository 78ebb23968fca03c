import { createHumanToolsServerFactory } from '../human-tools/human-tools-server.js';
import type { Logger } from '../shared/logger.js';
import { type ServingMcp, serveMcp } from '../transport/serve-mcp.js';
import { connectCountersign } from './connect-countersign.js';
import type { ServeCommand } from './parse-args.js';

/** Starts the human-tools server from parsed CLI options; rejects with a `StartupError`. */
export async function runServe(command: ServeCommand, logger: Logger): Promise<ServingMcp> {
  const service = await connectCountersign();
  const factory = createHumanToolsServerFactory({
    service,
    maxWaitMs: command.maxWaitMs,
    progressIntervalMs: command.progressIntervalMs,
    ...(command.publicUrl ? { publicUrl: command.publicUrl } : {}),
    logger,
  });
  return serveMcp(factory, {
    logger,
    ...(command.httpPort === undefined
      ? {}
      : { http: { port: command.httpPort, host: command.host } }),
  });
}
