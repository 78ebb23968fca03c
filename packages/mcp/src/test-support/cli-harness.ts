import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  getDefaultEnvironment,
  StdioClientTransport,
} from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import {
  type ClientCapabilities,
  type ElicitRequest,
  ElicitRequestSchema,
  type ElicitResult,
} from '@modelcontextprotocol/sdk/types.js';

/** The built CLI entry point. */
export const CLI_BIN = fileURLToPath(new URL('../../bin/countersign-mcp.js', import.meta.url));
/** The runnable test upstream with destructive tools. */
export const TEST_UPSTREAM = fileURLToPath(new URL('./destructive-upstream.ts', import.meta.url));

/** Options for {@link connectCli}. */
export interface ConnectCliOptions {
  /** CLI arguments, e.g. `['proxy', '--', process.execPath, TEST_UPSTREAM]`. */
  args: string[];
  /** The child's environment on top of the SDK defaults (the SDK does not pass ours through). */
  env: Record<string, string>;
  transport: 'stdio' | 'http';
  /** Answers elicitation; when absent the client does not declare the capability. */
  onElicit?: (request: ElicitRequest) => ElicitResult | Promise<ElicitResult>;
  /** More client capabilities to declare (e.g. `tasks`, `elicitation.url`). */
  capabilities?: ClientCapabilities;
}

/** The official SDK client connected to our CLI in a real child process. */
export interface ConnectedCli {
  client: Client;
  /** Everything the CLI wrote to stderr so far. */
  stderr(): string;
  close(): Promise<void>;
}

function newClient(options: ConnectCliOptions): Client {
  const client = new Client(
    { name: 'integration-client', version: '1' },
    {
      capabilities: {
        ...(options.onElicit ? { elicitation: { form: {} } } : {}),
        ...options.capabilities,
      },
    },
  );
  const answer = options.onElicit;
  if (answer) client.setRequestHandler(ElicitRequestSchema, (request) => answer(request));
  return client;
}

/** Starts `countersign-mcp` and connects an SDK client over stdio or Streamable HTTP. */
export async function connectCli(options: ConnectCliOptions): Promise<ConnectedCli> {
  const client = newClient(options);
  let stderr = '';
  if (options.transport === 'stdio') {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [CLI_BIN, ...options.args],
      env: { ...getDefaultEnvironment(), ...options.env },
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    await client.connect(transport);
    return { client, stderr: () => stderr, close: () => client.close() };
  }
  const serving = await startCliHttp(options.args, options.env);
  try {
    await client.connect(new StreamableHTTPClientTransport(new URL(serving.url)));
  } catch (error) {
    // Never leave a CLI (and its upstream) running after a failed start.
    await serving.close();
    throw error;
  }
  return {
    client,
    stderr: serving.stderr,
    async close() {
      await client.close();
      await serving.close();
    },
  };
}

/** The CLI serving Streamable HTTP in a child process, for clients of any kind. */
export interface ServingCli {
  url: string;
  stderr(): string;
  close(): Promise<void>;
}

/** Starts `countersign-mcp <command> --http --port 0 …` and waits until it listens. */
export async function startCliHttp(
  args: string[],
  env: Record<string, string>,
): Promise<ServingCli> {
  let stderr = '';
  // The HTTP flags go right after the command: anything after `--` belongs to the upstream.
  const [command, ...rest] = args;
  const child = spawn(process.execPath, [CLI_BIN, command!, '--http', '--port', '0', ...rest], {
    env: { ...getDefaultEnvironment(), ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`CLI did not listen: ${stderr}`)), 20_000);
      child.stderr?.on('data', (chunk: Buffer) => {
        stderr += chunk.toString('utf8');
        const match = /listening on (http\S+)/.exec(stderr);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
      child.once('exit', (code) => reject(new Error(`CLI exited with ${code}: ${stderr}`)));
    });
    return { url, stderr: () => stderr, close: () => stopChild(child) };
  } catch (error) {
    await stopChild(child);
    throw error;
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await exited;
}

/** Runs the CLI to completion (for start-up failures): its exit code and stderr. */
export function runCli(
  args: string[],
  env: Record<string, string>,
  timeoutMs = 20_000,
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_BIN, ...args], {
      env: { ...getDefaultEnvironment(), ...env },
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`CLI still running after ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}
