import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { startTestServer, type TestServer } from '@countersign/server/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_BIN, startCliHttp, TEST_UPSTREAM } from '../test-support/cli-harness.js';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
/** The MCP Inspector's own command-line client: a third-party client of both modes. */
const INSPECTOR = join(
  dirname(require.resolve('@modelcontextprotocol/inspector-cli/package.json')),
  'build/index.js',
);

let server: TestServer;
let env: Record<string, string>;
let dir: string;

beforeAll(async () => {
  server = await startTestServer();
  env = {
    COUNTERSIGN_URL: server.url,
    COUNTERSIGN_API_KEY: await server.createKey({ role: 'agent', name: 'inspector' }),
  };
  dir = await mkdtemp(join(tmpdir(), 'countersign-mcp-inspector-'));
  await writeFile(
    join(dir, 'servers.json'),
    JSON.stringify({ mcpServers: { bank: { command: process.execPath, args: [TEST_UPSTREAM] } } }),
  );
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

/** Runs the inspector CLI against `target`; returns its JSON output. */
async function inspect(target: string[], method: string[]): Promise<unknown> {
  const { stdout } = await run(process.execPath, [INSPECTOR, ...method, ...target], {
    env: { ...process.env, ...env },
    // inspector-cli 1.0.3 looks for "../package.json" relative to the working directory but
    // imports it relative to its own file: from its build folder both agree.
    cwd: dirname(INSPECTOR),
    timeout: 60_000,
  });
  return JSON.parse(stdout);
}

const proxyArgs = () => ['proxy', '--config', join(dir, 'servers.json')];

describe('the MCP Inspector CLI as the client', () => {
  it('lists the human tools of serve over stdio, task-capable', async () => {
    const listed = (await inspect(
      [process.execPath, CLI_BIN, 'serve'],
      ['--method', 'tools/list'],
    )) as {
      tools: { name: string; execution?: unknown }[];
    };
    const approval = listed.tools.find((tool) => tool.name === 'request_approval');
    expect(approval?.execution).toEqual({ taskSupport: 'optional' });
  });

  it('calls an allowed tool and reads a resource through the proxy over stdio', async () => {
    const target = [process.execPath, CLI_BIN, ...proxyArgs()];
    // --tool-arg takes several values: it goes first so it does not swallow the target.
    const called = await inspect(target, [
      '--tool-arg',
      'account=acme',
      '--method',
      'tools/call',
      '--tool-name',
      'get_balance',
    ]);
    expect(called).toMatchObject({ content: [{ type: 'text', text: 'acme: 100' }] });
    const read = await inspect(target, ['--method', 'resources/read', '--uri', 'memo://notes']);
    expect(read).toMatchObject({ contents: [{ text: 'remember the milk' }] });
  });

  it('lists tools and prompts of the proxy and serve over Streamable HTTP', async () => {
    const proxy = await startCliHttp(proxyArgs(), env);
    const serve = await startCliHttp(['serve'], env);
    try {
      const tools = (await inspect([proxy.url], ['--method', 'tools/list'])) as {
        tools: { name: string }[];
      };
      expect(tools.tools.map((tool) => tool.name)).toContain('check_request');
      const prompts = (await inspect([proxy.url], ['--method', 'prompts/list'])) as {
        prompts: { name: string }[];
      };
      expect(prompts.prompts.map((prompt) => prompt.name)).toEqual(['greet']);
      const human = (await inspect([serve.url], ['--method', 'tools/list'])) as {
        tools: { name: string }[];
      };
      expect(human.tools.map((tool) => tool.name)).toContain('ask_human');
    } finally {
      await proxy.close();
      await serve.close();
    }
  });
});
