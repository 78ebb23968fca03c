import { CountersignError } from '@countersign/core';
import { startTracing } from '@countersign/core/telemetry';
import { createJsonLogger } from '../shared/json-logger.js';
import { createStderrLogger, type Logger } from '../shared/logger.js';
import { errorMessage } from '../shared/startup-error.js';
import type { ServingMcp } from '../transport/serve-mcp.js';
import { parseCliArgs } from './parse-args.js';
import { runProxy } from './run-proxy.js';
import { runServe } from './run-serve.js';
import { USAGE } from './usage.js';

let logger: Logger = createStderrLogger();

/** Exit codes: 1 for a start-up failure, 2 for a bad command line. */
async function main(argv: string[]): Promise<void> {
  let command: ReturnType<typeof parseCliArgs>;
  try {
    command = parseCliArgs(argv);
  } catch (error) {
    logger.error(errorMessage(error));
    process.exit(2);
  }
  if (command.command === 'help') {
    process.stderr.write(USAGE);
    return;
  }
  logger =
    command.logFormat === 'json'
      ? createJsonLogger(command.logLevel)
      : createStderrLogger({ quiet: command.logLevel !== 'info' && command.logLevel !== 'debug' });
  // Only when the standard OTEL_* variables ask for it; the SDK is not loaded otherwise.
  const tracing = await startTracing(
    command.command === 'proxy' ? 'countersign-mcp-proxy' : 'countersign-mcp',
  );
  let serving: ServingMcp;
  try {
    serving =
      command.command === 'serve'
        ? await runServe(command, logger)
        : await runProxy(command, logger);
  } catch (error) {
    const code = CountersignError.isInstance(error) ? ` [${error.code}]` : '';
    logger.error(`${errorMessage(error)}${code}`);
    process.exit(1);
  }
  if (serving.url) {
    // The one line scripts and tests wait for.
    process.stderr.write(`countersign-mcp listening on ${serving.url}\n`);
  }
  const stop = () => {
    void serving
      .close()
      .then(() => tracing?.shutdown())
      .finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await serving.closed;
  await tracing?.shutdown();
  process.exit(0);
}

await main(process.argv.slice(2));
