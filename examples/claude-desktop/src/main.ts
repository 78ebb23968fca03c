// What Claude Desktop experiences behind `countersign-mcp proxy`, without Claude (`pnpm start`):
// a Countersign server from its CLI on a temp SQLite file, the proxy with ./countersign.yaml in
// front of the official filesystem server on a temp folder, and the official MCP SDK client over
// stdio, like Claude Desktop. A read runs, a new folder is confirmed in the client, a write waits
// for a reviewer (scripted, or you with --manual), a write under .ssh is denied, and a move runs
// as an MCP task (how clients with task support get long approvals).
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import {
  callAsTask,
  connectLikeClaudeDesktop,
  pendingRequestId,
  resultText,
} from './desktop-client.ts';
import { type LocalServer, startLocalServer } from './local-server.ts';
import { type ExampleOptions, parseOptions, USAGE } from './options.ts';
import { playReviewer, summarize } from './reviewer.ts';

if (process.argv.includes('--help')) {
  console.log(USAGE);
  process.exit(0);
}
let options: ExampleOptions;
try {
  options = parseOptions(process.argv.slice(2));
} catch (error) {
  console.error(`${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
const { manual } = options;

const log = (line = '') => console.log(line);
const workDir = await realpath(await mkdtemp(join(tmpdir(), 'countersign-claude-desktop-')));
const folder = join(workDir, 'folder');
await mkdir(folder);
await writeFile(join(folder, 'notes.txt'), 'Q3 numbers are in the finance share.\n');
const stopping = new AbortController();
let server: LocalServer | undefined;
let client: Client | undefined;

let cleaning: Promise<void> | undefined;
/** Stops the proxy (closing the client ends it) and the server, and removes the temp folder. */
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    stopping.abort();
    await client?.close().catch(() => undefined);
    await server?.stop();
    await rm(workDir, { recursive: true, force: true });
  })();
  return cleaning;
}
let interrupted = false;
process.once('SIGINT', () => {
  interrupted = true;
  log('\nStopping the proxy and the server.');
  void cleanUp().finally(() => process.exit(130));
});

/** Calls a tool; while the proxy answers "pending", calls check_request as Claude would. */
async function callUntilDecided(name: string, toolArgs: Record<string, unknown>) {
  let result = (await client!.callTool({ name, arguments: toolArgs }, undefined, {
    timeout: 120_000,
  })) as CallToolResult;
  for (let id = pendingRequestId(result); id; id = pendingRequestId(result)) {
    log(`  Claude sees: ${resultText(result)}`);
    log(`  Claude calls check_request {"request_id":"${id}"}`);
    result = (await client!.callTool(
      { name: 'check_request', arguments: { request_id: id } },
      undefined,
      { timeout: 120_000 },
    )) as CallToolResult;
  }
  return result;
}

function show(result: CallToolResult): void {
  const text = resultText(result).trim().replace(/\n/g, '\n    ');
  log(`  ${result.isError ? '✘ error' : '✔ result'}: ${text}`);
}

try {
  server = await startLocalServer(join(workDir, 'countersign.db'));
  log(`Countersign server: ${server.url}  (dashboard ${server.url}/, SQLite in ${workDir})`);
  log(`Folder the filesystem server may touch: ${folder}`);
  client = await connectLikeClaudeDesktop({
    countersignUrl: server.url,
    agentKey: server.keys.agent,
    folder,
    stateFile: join(workDir, 'countersign-mcp-state.json'),
    maxWait: options.maxWait,
    onLog: (line) => log(`  [countersign-mcp] ${line}`),
    onConfirm: (message) => {
      log(`  Claude Desktop asks you: "${message}"  → you click Approve (scripted)`);
      return true;
    },
  });

  const { tools } = await client.listTools();
  log(
    `\n1. Claude lists the tools: ${tools.length} (${tools.map((tool) => tool.name).join(', ')})`,
  );

  log('\n2. Claude reads notes.txt (read-only tools pass without asking)');
  show(await callUntilDecided('read_text_file', { path: join(folder, 'notes.txt') }));

  log('\n3. Claude creates the folder reports/ (confirmed right in the client, MCP elicitation)');
  show(await callUntilDecided('create_directory', { path: join(folder, 'reports') }));

  const target = join(folder, 'reports', 'q3.md');
  log('\n4. Claude writes reports/q3.md (every other write waits for a reviewer)');
  const reviewing = playReviewer({
    url: server.url,
    reviewerKey: server.keys.reviewer,
    manual,
    delayMs: 1_000,
    log: (line) => log(`  ${line}`),
    signal: stopping.signal,
  });
  reviewing.catch(() => undefined);
  const started = Date.now();
  const written = await callUntilDecided('write_file', { path: target, content: '# Q3\nUp 4%.\n' });
  await reviewing;
  log(`  The call returned after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  show(written);
  log(
    existsSync(target)
      ? `  reports/q3.md now holds: ${JSON.stringify(await readFile(target, 'utf8'))}`
      : '  reports/q3.md was not written',
  );

  const forbidden = join(folder, '.ssh', 'authorized_keys');
  log('\n5. Claude tries to write .ssh/authorized_keys (denied by the policy, nobody is asked)');
  show(await callUntilDecided('write_file', { path: forbidden, content: 'ssh-ed25519 AAAA…' }));
  log(`  .ssh/authorized_keys ${existsSync(forbidden) ? 'EXISTS' : 'was not written'}`);

  const final = join(folder, 'reports', 'q3-final.md');
  log('\n6. A client with MCP tasks moves reports/q3.md to q3-final.md (the call becomes a task)');
  const approvingMove = playReviewer({
    url: server.url,
    reviewerKey: server.keys.reviewer,
    manual: false,
    // Long enough for the client's polls to show the task waiting for the reviewer.
    delayMs: 2_500,
    log: (line) => log(`  ${line}`),
    signal: stopping.signal,
    toolName: 'move_file',
  });
  approvingMove.catch(() => undefined);
  const moved = await callAsTask(
    client,
    'move_file',
    { source: target, destination: final },
    (line) => log(`  ${line}`),
  );
  show(moved);
  await approvingMove;
  log(`  reports/q3-final.md ${existsSync(final) ? 'exists' : 'was not written'}`);

  const requests = await summarize(server.url, server.keys.reviewer);
  log(`\nRequests on the Countersign server: ${requests.length}`);
  for (const line of requests) log(`  ${line}`);
} catch (error) {
  // A call cut short by Ctrl-C fails as the proxy goes away; the SIGINT handler exits with 130.
  if (!interrupted) throw error;
} finally {
  await cleanUp();
}
