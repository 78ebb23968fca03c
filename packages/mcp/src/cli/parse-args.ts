import { parseArgs } from 'node:util';
import { parseDuration } from '@countersign/core';
import { PROXY_LOG_LEVELS, type ProxyLogLevel } from '../shared/json-logger.js';
import { isHttpUrl } from '../shared/option-checks.js';
import { StartupError } from '../shared/startup-error.js';

/** Where the CLI serves MCP, and how it logs. */
export interface ListenOptions {
  /** `text` (default): one prefixed line per message; `json`: pino JSON lines. */
  logFormat: 'text' | 'json';
  /** The least severe level logged (default `info`). */
  logLevel: ProxyLogLevel;
  /** Streamable HTTP on this port (0: a free one); undefined: stdio. */
  httpPort?: number;
  host: string;
}

/** `countersign-mcp serve …` */
export interface ServeCommand extends ListenOptions {
  command: 'serve';
  maxWaitMs: number;
  progressIntervalMs: number;
  /** The dashboard's public address, for "Open the approval page" (URL elicitation). */
  publicUrl?: string;
}

/** `countersign-mcp proxy …` */
export interface ProxyCommand extends ListenOptions {
  command: 'proxy';
  policyFile?: string;
  stateFile?: string;
  configFile?: string;
  upstreamUrl?: string;
  /** The upstream command and its arguments (everything after `--`). */
  upstreamCommand?: string[];
  /** The upstream's name (prefix) when given by command or URL. Default `upstream`. */
  upstreamName: string;
  maxWaitMs: number;
  progressIntervalMs: number;
  channel: 'server' | 'elicit' | 'elicit-then-server';
  /** Serve Prometheus `GET /metrics` on this loopback port (0: a free one); undefined: none. */
  metricsPort?: number;
  /** The dashboard's public address, for "Open the approval page" (URL elicitation). */
  publicUrl?: string;
}

/** `countersign-mcp help` (or no arguments). */
export interface HelpCommand {
  command: 'help';
}

export type CliCommand = ServeCommand | ProxyCommand | HelpCommand;

function usageError(message: string): StartupError {
  return new StartupError('validation_failed', `${message} (see countersign-mcp --help)`);
}

function duration(flag: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const ms = /^\d+(\.\d+)?$/.test(text) ? Number(text) * 1000 : parseDuration(text);
  if (ms === undefined || !(ms > 0))
    throw usageError(`--${flag} expects a duration such as 50s, got "${text}"`);
  return ms;
}

function port(text: string | undefined, flag = 'port'): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > 65_535)
    throw usageError(`--${flag} expects 0-65535, got "${text}"`);
  return value;
}

/** Parses the command line (without `node` and the script). Bad input throws a {@link StartupError}. */
export function parseCliArgs(argv: string[]): CliCommand {
  const split = argv.indexOf('--');
  const own = split === -1 ? argv : argv.slice(0, split);
  const upstreamCommand = split === -1 ? undefined : argv.slice(split + 1);
  let parsed: ReturnType<typeof parseOwn>;
  try {
    parsed = parseOwn(own);
  } catch (error) {
    throw usageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const command = positionals[0];
  if (values.help || command === undefined || command === 'help') return { command: 'help' };
  if (positionals.length > 1) throw usageError(`Unexpected argument "${positionals[1]}"`);
  const logFormat = values['log-format'] ?? 'text';
  if (logFormat !== 'text' && logFormat !== 'json') {
    throw usageError(`--log-format expects text or json, got "${logFormat}"`);
  }
  const logLevel = (values['log-level'] ?? 'info') as ProxyLogLevel;
  if (!PROXY_LOG_LEVELS.includes(logLevel)) {
    throw usageError(`--log-level expects ${PROXY_LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }
  const listen = {
    logFormat: logFormat as 'text' | 'json',
    logLevel,
    httpPort: values.http || values.port !== undefined ? (port(values.port) ?? 0) : undefined,
    host: values.host ?? '127.0.0.1',
  };
  const maxWaitMs = duration('max-wait', values['max-wait'], 50_000);
  const progressIntervalMs = duration('progress-interval', values['progress-interval'], 10_000);
  const publicUrl = values['public-url'] ?? process.env.COUNTERSIGN_PUBLIC_URL;
  if (publicUrl !== undefined && !isHttpUrl(publicUrl)) {
    throw usageError(`--public-url expects an http(s) URL, got "${publicUrl}"`);
  }
  const page = publicUrl === undefined ? {} : { publicUrl };
  if (command === 'serve') {
    if (upstreamCommand) throw usageError('serve takes no upstream command');
    return { command, ...listen, maxWaitMs, progressIntervalMs, ...page };
  }
  if (command !== 'proxy') throw usageError(`Unknown command "${command}"; use serve or proxy`);
  const sources = [upstreamCommand, values['upstream-url'], values.config].filter(
    (s) => s !== undefined,
  );
  if (sources.length !== 1) {
    throw usageError(
      'proxy needs exactly one upstream: -- <command…>, --upstream-url URL or --config FILE',
    );
  }
  if (upstreamCommand?.length === 0) throw usageError('No upstream command after --');
  if (values.elicit && values['elicit-first'])
    throw usageError('Use --elicit or --elicit-first, not both');
  return {
    command,
    ...listen,
    policyFile: values.policy,
    stateFile: values.state,
    configFile: values.config,
    upstreamUrl: values['upstream-url'],
    upstreamCommand,
    upstreamName: values.name ?? 'upstream',
    maxWaitMs,
    progressIntervalMs,
    channel: values.elicit ? 'elicit' : values['elicit-first'] ? 'elicit-then-server' : 'server',
    ...(values['metrics-port'] === undefined
      ? {}
      : { metricsPort: port(values['metrics-port'], 'metrics-port') }),
    ...page,
  };
}

function parseOwn(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      http: { type: 'boolean' },
      port: { type: 'string' },
      host: { type: 'string' },
      'max-wait': { type: 'string' },
      'progress-interval': { type: 'string' },
      policy: { type: 'string' },
      state: { type: 'string' },
      config: { type: 'string' },
      'upstream-url': { type: 'string' },
      name: { type: 'string' },
      elicit: { type: 'boolean' },
      'elicit-first': { type: 'boolean' },
      'metrics-port': { type: 'string' },
      'log-format': { type: 'string' },
      'log-level': { type: 'string' },
      'public-url': { type: 'string' },
    },
  });
}
