// examples/claude-desktop: the MCP SDK client over stdio, as Claude Desktop, through
// countersign-mcp proxy and the filesystem server, against the CLI server.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { count, type RunningExample, startExample } from './run-example.ts';

const countersignCli = fileURLToPath(
  new URL('../../packages/server/bin/countersign.js', import.meta.url),
);
let run: RunningExample | undefined;
afterEach(async () => {
  await run?.stop();
  run = undefined;
});

function workDir(out: string): string {
  const dir = /SQLite in (\S+)\)/.exec(out)?.[1];
  expect(dir).toBeDefined();
  return dir!;
}

describe('examples/claude-desktop (its start script)', () => {
  it('reads freely, confirms a folder in the client, writes after approval, denies .ssh', async () => {
    run = await startExample('claude-desktop');
    expect(await run.finished()).toBe(0);
    const out = run.output();
    const url = /Countersign server: (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
    expect(out).toMatch(
      /1\. Claude lists the tools: 15 \(read_file, .*write_file.*, check_request\)/,
    );
    expect(out).toContain('✔ result: Q3 numbers are in the finance share.');
    expect(out).toMatch(/Claude Desktop asks you: "Allow the agent to run create_directory\(/);
    expect(out).toMatch(/✔ result: Successfully created directory \S+\/folder\/reports/);
    const pending = /\[reviewer\] pending (req_[\w-]+): Run write_file with/.exec(out)?.[1];
    expect(pending).toBeDefined();
    expect(out).toMatch(/✔ result: Successfully wrote to \S+\/reports\/q3\.md/);
    // The policy's preview: the reviewer saw the file's new text as a diff.
    expect(out).toMatch(
      /\| The file as it will be written\n.*\| File: \S+\/reports\/q3\.md\n.*\| \+ # Q3\n.*\| \+ Up 4%\./s,
    );
    expect(out).toContain('reports/q3.md now holds: "# Q3\\nUp 4%.\\n"');
    expect(out).toContain(
      '✘ error: Changing files under ~/.ssh is not allowed. Tell the user instead of retrying.',
    );
    expect(out).toContain('.ssh/authorized_keys was not written');
    // One request in all: the read and the folder never reached the server, the denial neither.
    expect(out).toContain('Requests on the Countersign server: 1');
    expect(out).toContain(`${pending} write_file approved by user:you`);
    expect(count(out, '[reviewer] pending')).toBe(1);
    // Everything it started is gone: the server, and the temp folder with the SQLite file.
    expect(existsSync(workDir(out))).toBe(false);
    await expect(fetch(`${url}/v1/health`)).rejects.toThrow();
  });

  it('--manual waits for you, past "pending" via check_request; the printed approve line lets the write go', async () => {
    run = await startExample('claude-desktop', { args: ['--manual', '--max-wait', '1s'] });
    const [line] = await run.waitFor(
      /COUNTERSIGN_URL=\S+ COUNTERSIGN_API_KEY=\S+ npx -y pnpm@10 countersign approve \S+/,
    );
    const [, url, key, id] =
      /COUNTERSIGN_URL=(\S+) COUNTERSIGN_API_KEY=(\S+) npx -y pnpm@10 countersign approve (\S+)/.exec(
        line,
      )!;
    expect(run.output()).toContain(`Decide it on the dashboard: ${url}/`);
    // Nobody decided within --max-wait: Claude is told "pending" and re-attaches with check_request.
    await run.waitFor(new RegExp(`Claude calls check_request \\{"request_id":"${id}"\\}`));
    expect(run.output()).toContain(
      `Waiting for human approval: write_file has NOT run yet (Countersign request ${id})`,
    );
    expect(run.output()).not.toContain('Successfully wrote');
    // `pnpm countersign` at the root is `node packages/server/bin/countersign.js`.
    await promisify(execFile)(process.execPath, [countersignCli, 'approve', id!], {
      env: { ...process.env, COUNTERSIGN_URL: url, COUNTERSIGN_API_KEY: key },
    });
    expect(await run.finished()).toBe(0);
    expect(run.output()).toMatch(/✔ result: Successfully wrote to \S+\/reports\/q3\.md/);
    expect(run.output()).toContain(`${id} write_file approved by user:you`);
    expect(count(run.output(), 'Successfully wrote')).toBe(1);
  });

  it('stops the proxy and the server and removes its temp folder on Ctrl-C', async () => {
    run = await startExample('claude-desktop', { args: ['--manual'] });
    await run.waitFor(/countersign approve req_/);
    const out = run.output();
    run.child.kill('SIGINT');
    expect(await run.finished()).toBe(130);
    expect(run.output()).toContain('Stopping the proxy and the server.');
    expect(existsSync(workDir(out))).toBe(false);
    const url = /Countersign server: (http:\/\/\S+) /.exec(out)?.[1];
    await expect(fetch(`${url}/v1/health`)).rejects.toThrow();
  });

  it('refuses an unknown option with the usage line', async () => {
    run = await startExample('claude-desktop', { args: ['--auto'] });
    expect(await run.finished()).toBe(2);
    expect(run.output()).toContain('Unknown option --auto');
    expect(run.output()).toContain('usage: pnpm start [-- --manual]');
  });

  it('refuses a --max-wait that is not a duration', async () => {
    run = await startExample('claude-desktop', { args: ['--max-wait', 'soon'] });
    expect(await run.finished()).toBe(2);
    expect(run.output()).toContain('--max-wait needs a duration like 5s, not "soon"');
  });
});
