import { parseArgs } from 'node:util';
import { type RequestEvent, SseParser } from '@countersign/core/protocol';
import { CliError, type CliIo } from './cli-support.js';

/** `tail [--request ID]`: prints live events from a running server until interrupted. */
export async function tailCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      url: { type: 'string' },
      key: { type: 'string' },
      request: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const url = values.url ?? io.env.COUNTERSIGN_URL;
  const key = values.key ?? io.env.COUNTERSIGN_API_KEY;
  if (!url || !key) throw new CliError('tail needs COUNTERSIGN_URL and COUNTERSIGN_API_KEY');
  const path = values.request
    ? `/v1/requests/${encodeURIComponent(values.request)}/events`
    : '/v1/events';
  const controller = new AbortController();
  if (io.signal) io.signal.addEventListener('abort', () => controller.abort(), { once: true });
  else process.once('SIGINT', () => controller.abort());
  let response: Response;
  try {
    response = await fetch(url.replace(/\/+$/, '') + path, {
      headers: { authorization: `Bearer ${key}`, accept: 'text/event-stream' },
      signal: controller.signal,
    });
  } catch (error) {
    throw new CliError(`Cannot reach ${url}: ${error instanceof Error ? error.message : error}`);
  }
  if (!response.ok || !response.body)
    throw new CliError(`The server answered HTTP ${response.status}`);
  // On stderr, so `--json` output stays one event per line; scripts and tests wait for it.
  io.err(`Connected to ${url}; showing events from now on (Ctrl-C to stop)`);
  const decoder = new TextDecoder();
  const parser = new SseParser();
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      for (const { data } of parser.push(decoder.decode(chunk, { stream: true }))) {
        if (!data) continue;
        const event = JSON.parse(data) as RequestEvent;
        io.out(
          values.json
            ? data
            : `${event.at}  ${event.type.padEnd(9)} ${event.requestId} v${event.version}${event.actor ? ` by ${event.actor}` : ''}  ${event.request.action}`,
        );
      }
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  }
  return 0;
}
