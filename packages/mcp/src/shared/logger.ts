/** Where the CLI writes diagnostics. Never stdout: on stdio, stdout carries the MCP protocol. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** One event with its fields (a proxied call); only the JSON logger has it. */
  record?(message: string, fields: Record<string, unknown>): void;
}

/** A logger that writes one line per message to stderr, prefixed with the program name. */
export function createStderrLogger(options: { quiet?: boolean } = {}): Logger {
  const write = (level: string, message: string) => {
    process.stderr.write(`countersign-mcp ${level}: ${message}\n`);
  };
  return {
    info: (message) => {
      if (!options.quiet) write('info', message);
    },
    warn: (message) => write('warn', message),
    error: (message) => write('error', message),
  };
}

/** A logger that drops everything (for tests and embedding). */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
