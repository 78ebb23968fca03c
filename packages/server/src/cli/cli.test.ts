import { DatabaseSync } from 'node:sqlite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test/start-test-server.js';
import type { CliIo } from './cli-support.js';
import { runCli } from './run-cli.js';

let server: TestServer;
let agentKey: string;
beforeEach(async () => {
  server = await startTestServer();
  agentKey = await server.createKey({ role: 'agent', name: 'bot' });
});
afterEach(async () => {
  await server.close();
});

async function run(
  argv: string[],
  env: Record<string, string> = {},
  signal?: AbortSignal,
  out: string[] = [],
  err: string[] = [],
) {
  const io: CliIo = {
    out: (text) => out.push(`${text}\n`),
    write: (text) => out.push(text),
    err: (text) => err.push(text),
    env,
    ...(signal ? { signal } : {}),
  };
  const code = await runCli(argv, io);
  return { code, out: out.join(''), err: err.join('\n') };
}

async function createRequest(action: string): Promise<string> {
  const response = await fetch(`${server.url}/v1/requests`, {
    method: 'POST',
    headers: { authorization: `Bearer ${agentKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ action }),
  });
  return ((await response.json()) as { id: string }).id;
}

/** Waits for `check` to hold, checking every 20 ms; fails after 5 s naming `what`. */
async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('countersign CLI', () => {
  it('lists, shows, approves and rejects through a running server', async () => {
    const env = { COUNTERSIGN_URL: server.url, COUNTERSIGN_API_KEY: server.adminKey };
    const first = await createRequest('Deploy');
    const second = await createRequest('Delete');
    const ls = await run(['ls', '--status', 'pending'], env);
    expect(ls.code).toBe(0);
    expect(ls.out).toContain(first);
    expect(ls.out).toContain('Deploy');
    const approved = await run(['approve', first, '--comment', 'ok'], env);
    expect(approved.out).toMatch(/status\s+approved/);
    const noReason = await run(['reject', second], env);
    expect(noReason).toMatchObject({ code: 1, err: 'countersign reject: reject needs --reason' });
    const rejected = await run(['reject', second, '--reason', 'risky', '--json'], env);
    expect(JSON.parse(rejected.out)).toMatchObject({
      status: 'rejected',
      resolution: { reason: 'risky' },
    });
    const again = await run(['approve', second], env);
    expect(again.code).toBe(1);
    expect(again.err).toContain('already_decided');
    const show = await run(['show', 'req_missing'], env);
    expect(show.err).toBe('countersign show: not_found: No request req_missing');
  });

  it('creates keys offline, exports and verifies the audit log offline, and flags tampering', async () => {
    const created = await run([
      'keys',
      'create',
      '--role',
      'reviewer',
      '--name',
      'zoe',
      '--groups',
      'ops,sec',
      '--db',
      server.dbPath,
    ]);
    expect(created.code).toBe(0);
    expect(created.out.trim()).toMatch(/^csk_[0-9a-f]{16}_\S{43}$/);
    const me = await fetch(`${server.url}/v1/me`, {
      headers: { authorization: `Bearer ${created.out.trim()}` },
    });
    expect(await me.json()).toMatchObject({ principal: 'user:zoe', groups: ['ops', 'sec'] });
    const bad = await run([
      'keys',
      'create',
      '--role',
      'king',
      '--name',
      'x',
      '--db',
      server.dbPath,
    ]);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('role must be one of');

    const id = await createRequest('Audit me');
    await run(['approve', id, '--db', server.dbPath, '--as', 'ops-lead']);
    const exported = await run(['audit', 'export', '--format', 'csv', '--db', server.dbPath]);
    expect(exported.out.trim().split('\n')).toHaveLength(3);
    expect(exported.out).toContain('user:ops-lead');
    expect((await run(['audit', 'verify', '--db', server.dbPath])).code).toBe(0);
    // The server is live: wait for its checkpoint or batch to let go of the file, as any other writer would.
    const db = new DatabaseSync(server.dbPath, { timeout: 5_000 });
    db.exec(`UPDATE audit SET actor = 'user:mallory' WHERE seq = 2`);
    db.close();
    const broken = await run(['audit', 'verify', '--db', server.dbPath]);
    expect(broken.code).toBe(3);
    expect(broken.err).toContain('Entry 2 was edited');
  });

  it('fails in one line with a non-zero code', async () => {
    expect((await run(['ls'])).err).toContain('Set COUNTERSIGN_URL');
    expect((await run(['nope'])).code).toBe(2);
    expect(
      (await run(['ls', '--bogus'], { COUNTERSIGN_URL: server.url, COUNTERSIGN_API_KEY: 'x' }))
        .code,
    ).toBe(1);
    const unauthorized = await run(['ls'], {
      COUNTERSIGN_URL: server.url,
      COUNTERSIGN_API_KEY: 'wrong',
    });
    expect(unauthorized.err).toContain('unauthorized');
  });

  it('tails live events until stopped', async () => {
    const env = { COUNTERSIGN_URL: server.url, COUNTERSIGN_API_KEY: server.adminKey };
    const controller = new AbortController();
    const lines: string[] = [];
    const errors: string[] = [];
    const tail = run(['tail'], env, controller.signal, lines, errors);
    await until(() => errors.some((line) => line.startsWith('Connected to ')), 'tail to connect');
    const id = await createRequest('Rotate keys');
    await run(['approve', id], env);
    await until(() => lines.length >= 2, 'two events');
    controller.abort();
    expect((await tail).code).toBe(0);
    expect(lines[0]).toMatch(new RegExp(`created\\s+${id} v1 by agent:bot\\s+Rotate keys`));
    expect(lines[1]).toMatch(new RegExp(`decided\\s+${id} v2 by user:admin`));
  });
});
