import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runNode } from './child-process.ts';

const demo = fileURLToPath(new URL('../../examples/demo/src/main.ts', import.meta.url));
let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'countersign-demo-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

function startDemo(args: string[], env: NodeJS.ProcessEnv = {}) {
  return runNode(demo, ['--port', '0', '--db', join(directory, 'demo.db'), ...args], {
    env: { OPENAI_API_KEY: '', ANTHROPIC_API_KEY: '', ...env },
  });
}

describe('the one-command demo (child process, non-interactive mode)', () => {
  it('pauses before the prod deploy, says where to decide, resumes on approval and deploys', async () => {
    const run = startDemo(['--auto-approve-after', '500ms']);
    expect(await run.exited).toBe(0);
    const out = run.output();
    const url = /Countersign is running at (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
    expect(url).toBeDefined();
    expect(out).toContain(`Dashboard:    ${url}/`);
    expect(out).toMatch(/Reviewer key: csk_\S+/);
    expect(out).toContain('Model:        scripted');
    expect(out).toContain('⏸  The agent paused before deploy({"env":"prod","version":"v2.4.1"})');
    const id = /Request (req_[\w-]+), assigned to group:release/.exec(out)?.[1];
    expect(id).toBeDefined();
    expect(out).toMatch(
      new RegExp(
        `COUNTERSIGN_URL=${url} COUNTERSIGN_API_KEY=csk_\\S+ npx -y pnpm@10 countersign approve ${id} --comment 'Ship it'`,
      ),
    );
    // No TTY here: plain waiting lines, no spinner frames or carriage returns.
    expect(out).toContain(`… Waiting for a human decision on ${id}`);
    expect(out).not.toContain('\r');
    expect(out).toMatch(/✔ approved by user:you \("Ship it \(auto-approved by the demo\)"\)/);
    expect(out).toContain('[agent] Done. Deployed v2.4.1 to prod.');
    expect(out.match(/⏸ {2}The agent paused/g)).toHaveLength(1);
  });

  it('revises after a rejection and deploys the revised version once approved', async () => {
    const run = startDemo(['--auto-reject-first'], {
      COUNTERSIGN_DEMO_AUTO_APPROVE_AFTER: '300ms',
    });
    expect(await run.exited).toBe(0);
    const out = run.output();
    expect(out).toContain('✘ rejected: v2.4.1 has the checkout migration bug');
    expect(out).toContain(
      '⏸  The agent paused before deploy({"env":"prod","version":"v2.4.2","canary":true})',
    );
    expect(out).toContain('[agent] Done. Deployed v2.4.2 to prod as a 5% canary.');
    expect(out.match(/⏸ {2}The agent paused/g)).toHaveLength(2);
  });

  it('stops the agent and the server cleanly on SIGINT while waiting', async () => {
    const run = startDemo([]);
    const [, url] = await run.waitFor(/Countersign is running at (http:\/\/\S+)/);
    await run.waitFor(/Waiting for a human decision/);
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(130);
    expect(run.output()).toContain('Stopping the agent and the server.');
    expect(run.output()).not.toContain('The server keeps running');
    await expect(fetch(`${url}/v1/health`)).rejects.toThrow();
  });

  it('refuses unknown options with the usage text', async () => {
    const run = startDemo(['--auto-approve-after', 'soon']);
    expect(await run.exited).toBe(2);
    expect(run.output()).toContain('--auto-approve-after needs a duration like 2s, not "soon"');
  });
});
