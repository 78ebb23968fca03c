import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startTestServer, type TestServer } from '@countersign/server/test';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../shared/logger.js';
import {
  type ConnectedCli,
  connectCli,
  runCli,
  TEST_UPSTREAM,
} from '../test-support/cli-harness.js';
import {
  createDestructiveUpstream,
  type UpstreamCallRecord,
} from '../test-support/destructive-upstream.js';
import { TestReviewer } from '../test-support/reviewer.js';
import { serveMcp } from '../transport/serve-mcp.js';
import { USAGE } from './usage.js';

const require = createRequire(import.meta.url);
const FILESYSTEM_SERVER = join(
  dirname(require.resolve('@modelcontextprotocol/server-filesystem/package.json')),
  'dist/index.js',
);

let server: TestServer;
let reviewer: TestReviewer;
let env: Record<string, string>;
let dir: string;
const clis: ConnectedCli[] = [];

beforeAll(async () => {
  server = await startTestServer();
  const agentKey = await server.createKey({ role: 'agent', name: 'mcp-proxy' });
  reviewer = new TestReviewer(
    server.url,
    await server.createKey({ role: 'reviewer', name: 'bob' }),
  );
  env = { COUNTERSIGN_URL: server.url, COUNTERSIGN_API_KEY: agentKey };
});
afterAll(() => server.close());
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'countersign-mcp-proc-'));
});
afterEach(async () => {
  await Promise.all(clis.splice(0).map((cli) => cli.close()));
  await rm(dir, { recursive: true, force: true });
});

function text(result: unknown): string {
  return (result as CallToolResult).content
    .map((part) => (part.type === 'text' ? part.text : ''))
    .join('\n');
}

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('the filesystem server behind the proxy', () => {
  it('reads freely and writes only after approval', async () => {
    await writeFile(join(dir, 'notes.txt'), 'hello');
    const cli = await connectCli({
      transport: 'stdio',
      args: ['proxy', '--', process.execPath, FILESYSTEM_SERVER, dir],
      env,
    });
    clis.push(cli);
    const read = await cli.client.callTool({
      name: 'read_text_file',
      arguments: { path: join(dir, 'notes.txt') },
    });
    expect(text(read)).toContain('hello');
    const target = join(dir, 'out.txt');
    const writing = cli.client.callTool({
      name: 'write_file',
      arguments: { path: target, content: 'approved' },
    });
    const request = await reviewer.nextPending((r) => r.tool?.name === 'write_file');
    await expect(readFile(target, 'utf8')).rejects.toThrow();
    await reviewer.decide(request.id, { outcome: 'approve' });
    expect((await writing).isError).toBeFalsy();
    expect(await readFile(target, 'utf8')).toBe('approved');
  });

  it('prefixes tools from several upstreams and applies policy globs to the prefixed names', async () => {
    const calls = join(dir, 'calls.jsonl');
    const config = join(dir, 'servers.json');
    await writeFile(
      config,
      JSON.stringify({
        mcpServers: {
          bank: {
            command: process.execPath,
            args: [TEST_UPSTREAM],
            env: { UPSTREAM_CALL_LOG: calls },
          },
          files: { command: process.execPath, args: [FILESYSTEM_SERVER, dir] },
        },
      }),
    );
    const policy = join(dir, 'policy.yaml');
    await writeFile(
      policy,
      'version: 1\ndefault: allow\nrules:\n  - name: no-bank-deletes\n    tools: "bank__delete_*"\n    action: deny\n    message: Never delete bank files.\n',
    );
    const cli = await connectCli({
      transport: 'stdio',
      args: ['proxy', '--policy', policy, '--config', config],
      env,
    });
    clis.push(cli);
    const names = (await cli.client.listTools()).tools.map((tool) => tool.name);
    expect(names).toEqual(
      expect.arrayContaining(['bank__delete_file', 'files__read_text_file', 'check_request']),
    );
    const denied = await cli.client.callTool({
      name: 'bank__delete_file',
      arguments: { path: '/x' },
    });
    expect(text(denied)).toBe('Never delete bank files.');
    const balance = await cli.client.callTool({
      name: 'bank__get_balance',
      arguments: { account: 'q' },
    });
    expect(text(balance)).toBe('q: 100');
    expect((await readFile(calls, 'utf8')).trim().split('\n')).toHaveLength(1);
  });
});

describe('a --config with a single upstream', () => {
  it('keeps the tool names unprefixed, as --help says', async () => {
    const config = join(dir, 'servers.json');
    await writeFile(
      config,
      JSON.stringify({
        mcpServers: { bank: { command: process.execPath, args: [TEST_UPSTREAM] } },
      }),
    );
    const cli = await connectCli({ transport: 'stdio', args: ['proxy', '--config', config], env });
    clis.push(cli);
    const names = (await cli.client.listTools()).tools.map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(['get_balance', 'delete_file']));
    expect(names.some((name) => name.startsWith('bank__'))).toBe(false);
    const help = USAGE.replace(/\s+/g, ' ');
    expect(help).toContain('with two or more, their tools are exposed as name__tool');
    expect(help).toContain('a single upstream keeps its tool names unprefixed');
  });
});

describe('a policy with the proxy in a real process', () => {
  it('warns at start about a rule whose tools match no upstream tool, naming the rule', async () => {
    const policy = join(dir, 'countersign.yaml');
    await writeFile(
      policy,
      [
        'version: 1',
        'default: allow',
        'rules:',
        '  - name: typo-rule',
        '    tools: [delete_fiel]',
        '    action: deny',
        '  - name: secrets',
        '    tools: resources/read',
        '    when: args.uri.startsWith("memo://secret/")',
        '    action: deny',
        '    message: Secrets stay secret.',
        '  - tools: delete_*',
        '    action: require',
      ].join('\n'),
    );
    const cli = await connectCli({
      transport: 'stdio',
      args: ['proxy', '--policy', policy, '--', process.execPath, TEST_UPSTREAM],
      env,
    });
    clis.push(cli);
    await cli.client.listTools();
    await expect.poll(() => cli.stderr()).toContain('policy rule "typo-rule"');
    expect(cli.stderr()).toContain('matches no upstream tool: tools ["delete_fiel"]');
    expect(cli.stderr()).not.toContain('"secrets"');
    expect(cli.stderr()).not.toContain('"#3"');
    const notes = await cli.client.readResource({ uri: 'memo://notes' });
    expect(notes.contents[0]).toMatchObject({ text: 'remember the milk' });
    await expect(cli.client.readResource({ uri: 'memo://secret/plan' })).rejects.toThrow(
      'Secrets stay secret.',
    );
    const prompt = await cli.client.getPrompt({ name: 'greet', arguments: { name: 'ann' } });
    expect(prompt.messages).toHaveLength(1);
  });
});

describe('a Streamable HTTP upstream', () => {
  it('is proxied over HTTP on both sides, gated the same way', async () => {
    const calls: UpstreamCallRecord[] = [];
    const upstream = await serveMcp(
      () => createDestructiveUpstream((call) => calls.push(call)).server,
      {
        http: { port: 0 },
        logger: silentLogger,
      },
    );
    try {
      const cli = await connectCli({
        transport: 'http',
        args: ['proxy', '--upstream-url', upstream.url!],
        env,
      });
      clis.push(cli);
      const calling = cli.client.callTool({ name: 'delete_file', arguments: { path: '/http' } });
      const request = await reviewer.nextPending((r) => r.tool?.args.path === '/http');
      expect(calls).toEqual([]);
      await reviewer.decide(request.id, { outcome: 'approve' });
      expect(text(await calling)).toBe('deleted /http');
      expect(calls).toEqual([
        { tool: 'delete_file', args: { path: '/http' }, receipt: expect.any(String) },
      ]);
    } finally {
      await upstream.close();
    }
  });
});

describe('start-up errors and outages', () => {
  const upstream = ['--', process.execPath, TEST_UPSTREAM];

  it('exits 1 with one line naming the file, line and rule for a bad policy', async () => {
    const policy = join(dir, 'bad.yaml');
    await writeFile(
      policy,
      'version: 1\nrules:\n  - name: broken\n    when: "args.amount >"\n    action: deny\n',
    );
    const { code, stderr } = await runCli(['proxy', '--policy', policy, ...upstream], env);
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('bad.yaml');
    expect(stderr).toContain('broken');
  });

  it('exits 1 when the upstream fails to start', async () => {
    const { code, stderr } = await runCli(['proxy', '--', join(dir, 'no-such-server')], env);
    expect(code).toBe(1);
    expect(stderr).toMatch(/Upstream "upstream" .* failed to start/);
  });

  it('exits 1 when the Countersign server is unreachable', async () => {
    const port = await closedPort();
    const { code, stderr } = await runCli(['proxy', ...upstream], {
      ...env,
      COUNTERSIGN_URL: `http://127.0.0.1:${port}`,
    });
    expect(code).toBe(1);
    expect(stderr).toContain('unreachable');
  });

  it('exits 2 on a bad command line', async () => {
    const { code, stderr } = await runCli(['proxy', '--max-wait', 'soon', ...upstream], env);
    expect(code).toBe(2);
    expect(stderr).toContain('--max-wait');
  });

  it('fails closed when the server goes away after start-up', async () => {
    const own = await startTestServer();
    const calls = join(dir, 'calls.jsonl');
    const cli = await connectCli({
      transport: 'stdio',
      args: ['proxy', ...upstream],
      env: {
        COUNTERSIGN_URL: own.url,
        COUNTERSIGN_API_KEY: await own.createKey({ role: 'agent', name: 'gone' }),
        UPSTREAM_CALL_LOG: calls,
      },
    });
    clis.push(cli);
    await own.close();
    const result = await cli.client.callTool({ name: 'delete_file', arguments: { path: '/a' } });
    expect(result.isError).toBe(true);
    expect(text(result)).toContain('could not be reached');
    expect(
      text(await cli.client.callTool({ name: 'get_balance', arguments: { account: 'b' } })),
    ).toBe('b: 100');
    expect((await readFile(calls, 'utf8')).trim().split('\n')).toEqual([
      JSON.stringify({ tool: 'get_balance', args: { account: 'b' } }),
    ]);
  });
});
