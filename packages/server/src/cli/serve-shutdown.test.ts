import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackStandIn } from '../test/slack-stand-in.js';
import { spawnServe } from '../test-support/serve-process.js';
import { type SmtpCapture, startSmtpCapture } from '../test-support/smtp-capture.js';

const children: ChildProcess[] = [];
const directory = mkdtempSync(join(tmpdir(), 'countersign-shutdown-'));
const slack = new SlackStandIn();
let smtp: SmtpCapture;
beforeAll(async () => {
  smtp = await startSmtpCapture();
  await slack.start();
});
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await smtp.close();
  await slack.stop();
  rmSync(directory, { recursive: true, force: true });
});

/** What the process wrote and how it ended. */
function ended(child: ChildProcess): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
}

describe('countersign serve on SIGTERM', () => {
  // Past 100 commits the WAL checkpoint thread runs; the SMTP thread and the schema checker run
  // once a request is notified. Each must keep the process up until it has stopped: an idle,
  // unreferenced thread let the process end mid-close, with exit code 13 ("unsettled top-level
  // await"), in most tries. Three tries make a pass by luck unlikely.
  it.each([1, 2, 3])('closes every worker thread and exits 0 (try %i)', async (attempt) => {
    const db = join(directory, `shutdown-${attempt}.db`);
    const serve = await spawnServe(
      [
        ...['--db', db, '--smtp-url', smtp.url, '--mail-from', 'countersign@example.test'],
        ...['--slack-api-url', slack.apiUrl, '--slack-bot-token', 'xoxb-test-token-1'],
        ...['--slack-signing-secret', 'shutdownsigningsecret1'],
      ],
      children,
    );
    const admin = /admin key \(shown once, keep it\): (\S+)/.exec(serve.output)?.[1] ?? '';
    const headers = { authorization: `Bearer ${admin}`, 'content-type': 'application/json' };
    const user = await fetch(`${serve.url}/v1/users`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ name: 'alice', email: 'alice@example.test', slackUserId: 'U0ALICE' }),
    });
    expect(user.status).toBe(201);
    const key = await fetch(`${serve.url}/v1/keys`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ role: 'agent', name: 'bot' }),
    });
    const agent = ((await key.json()) as { key: string }).key;
    for (let index = 0; index < 120; index += 1) {
      const created = await fetch(`${serve.url}/v1/requests`, {
        method: 'POST',
        headers: { authorization: `Bearer ${agent}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          action: 'Deploy',
          assignees: ['user:alice'],
          tool: { name: 'deploy', args: { index } },
        }),
      });
      expect(created.status).toBe(201);
    }
    await smtp.received(1);
    const exit = ended(serve.child);
    serve.child.kill('SIGTERM');
    const { code, stderr } = await exit;
    expect(stderr).not.toContain('unsettled top-level await');
    expect(code).toBe(0);
  });
});
