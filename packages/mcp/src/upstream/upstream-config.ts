import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { errorMessage, StartupError } from '../shared/startup-error.js';

const stdioUpstreamSchema = z.strictObject({
  command: z.string().min(1),
  args: z.array(z.string()).default([]),
  env: z.record(z.string(), z.string()).optional(),
  cwd: z.string().optional(),
});

const httpUpstreamSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/ }),
  headers: z.record(z.string(), z.string()).optional(),
});

const upstreamNamePattern = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** The `--config` file: the same `mcpServers` shape Claude Desktop uses. */
export const upstreamConfigFileSchema = z.strictObject({
  mcpServers: z
    .record(z.string(), z.union([stdioUpstreamSchema, httpUpstreamSchema]))
    .superRefine((servers, context) => {
      const names = Object.keys(servers);
      if (names.length === 0) {
        context.addIssue({ code: 'custom', message: 'Name at least one upstream server' });
      }
      for (const name of names.filter((each) => !upstreamNamePattern.test(each))) {
        context.addIssue({
          code: 'custom',
          path: [name],
          message: `bad upstream name "${name}": use letters, digits, _ and - (at most 64)`,
        });
      }
    }),
});

/** An upstream started as a child process speaking MCP on stdio. */
export interface StdioUpstreamSpec {
  /** The name used to prefix its tools (`name__tool`) when there are several upstreams. */
  name: string;
  command: string;
  args: string[];
  /** Extra environment for the child, on top of the proxy's own (minus `COUNTERSIGN_*`). */
  env?: Record<string, string>;
  cwd?: string;
}

/** An upstream reached over Streamable HTTP. */
export interface HttpUpstreamSpec {
  name: string;
  url: string;
  headers?: Record<string, string>;
}

/** One upstream MCP server the proxy connects to. */
export type UpstreamSpec = StdioUpstreamSpec | HttpUpstreamSpec;

/** True for a Streamable HTTP upstream. */
export function isHttpUpstream(spec: UpstreamSpec): spec is HttpUpstreamSpec {
  return 'url' in spec;
}

/** Reads and validates a `--config` file; every problem becomes a {@link StartupError} naming the file. */
export async function loadUpstreamConfig(file: string): Promise<UpstreamSpec[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new StartupError(
      'validation_failed',
      `Cannot read config ${file}: ${errorMessage(error)}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new StartupError('invalid_json', `Config ${file} is not JSON: ${errorMessage(error)}`);
  }
  const parsed = upstreamConfigFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') || '(root)';
    throw new StartupError('validation_failed', `Config ${file}: ${where}: ${issue?.message}`);
  }
  return Object.entries(parsed.data.mcpServers).map(([name, server]) => ({ name, ...server }));
}
