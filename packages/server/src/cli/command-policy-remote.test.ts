import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test/start-test-server.js';
import { runCapturedCli } from '../test-support/captured-cli.js';

const directory = mkdtempSync(join(tmpdir(), 'countersign-policy-remote-'));
function file(name: string, text: string): string {
  const path = join(directory, name);
  writeFileSync(path, text);
  return path;
}

let server: TestServer;
let env: Record<string, string>;
beforeAll(async () => {
  server = await startTestServer();
  env = { COUNTERSIGN_URL: server.url, COUNTERSIGN_API_KEY: server.adminKey };
});
afterAll(async () => {
  await server.close();
});

const run = (argv: string[], environment = env) => runCapturedCli(argv, environment);

describe('countersign policy push | ls | show | diff | rollback', () => {
  it('manages versions of a central policy on a running server', async () => {
    const v1 = file('payments.yaml', 'version: 1\ndefault: deny\n');
    const v2 = file('payments-2.yaml', 'version: 1\ndefault: require\n');
    const pushed = await run(['policy', 'push', v1, '--name', 'payments']);
    expect(pushed).toMatchObject({ code: 0 });
    expect(pushed.out).toContain('Pushed payments@1 (active)');
    expect((await run(['policy', 'push', v2, '--name', 'payments'])).out).toContain(
      '-default: deny\n+default: require',
    );
    expect((await run(['policy', 'ls'])).out).toMatch(/^payments {2}active 2 {2}latest 2/);
    const versions = await run(['policy', 'ls', 'payments']);
    expect(versions.out).toMatch(/payments@1 {2}approved\s+\S+ {2}user:admin {2}payments\.yaml/);
    expect(versions.out).toMatch(/payments@2 {2}approved active/);
    expect((await run(['policy', 'show', 'payments'])).out).toContain('default: require');
    expect((await run(['policy', 'show', 'payments@1'])).out).toContain('default: deny');
    expect((await run(['policy', 'diff', 'payments', '1', '2'])).out).toBe(
      '--- payments@1\n+++ payments@2\n@@ -1,3 +1,3 @@\n version: 1\n-default: deny\n+default: require\n ',
    );
    expect((await run(['policy', 'rollback', 'payments', '1'])).out).toContain(
      'payments@1 is active again',
    );
    expect((await run(['policy', 'show', 'payments'])).out).toContain('default: deny');
  });

  it('names the file, line and rule of a malformed policy and exits 1', async () => {
    const broken = file('broken.yaml', 'version: 1\nrules:\n  - name: oops\n    action: maybe\n');
    const result = await run(['policy', 'push', broken, '--name', 'payments']);
    expect(result.code).toBe(1);
    expect(result.err).toContain('validation_failed: broken.yaml:4: rule "oops": action:');
  });

  it('needs an admin key and a server', async () => {
    const agent = await server.createKey({ role: 'agent', name: 'bot' });
    const forbidden = await run(['policy', 'ls'], {
      COUNTERSIGN_URL: server.url,
      COUNTERSIGN_API_KEY: agent,
    });
    expect(forbidden.code).toBe(1);
    expect(forbidden.err).toContain('forbidden');
    expect((await run(['policy', 'ls'], {})).err).toContain(
      'Set COUNTERSIGN_URL and COUNTERSIGN_API_KEY',
    );
  });
});

describe('countersign stop | resume', () => {
  it('stops a scope, lists it, cancels its pending requests and resumes it', async () => {
    const agent = await server.createKey({ role: 'agent', name: 'stop-bot' });
    const created = await fetch(`${server.url}/v1/requests`, {
      method: 'POST',
      headers: { authorization: `Bearer ${agent}`, 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'wire money' }),
    });
    const { id } = (await created.json()) as { id: string };
    const stopped = await run(['stop', '--agent', 'stop-bot', '--reason', 'runaway loop']);
    expect(stopped.out).toBe(
      `Stopped agent:stop-bot: every gate of it now denies every call. Cancelled 1 pending request(s): ${id}`,
    );
    const request = await fetch(`${server.url}/v1/requests/${id}`, {
      headers: { authorization: `Bearer ${server.adminKey}` },
    });
    expect(await request.json()).toMatchObject({
      status: 'cancelled',
      resolution: { reason: 'An operator stopped the agent: runaway loop' },
    });
    expect((await run(['stop', '--list'])).out).toMatch(
      /^agent:stop-bot {2}\S+ {2}user:admin {2}runaway loop$/,
    );
    expect((await run(['resume', '--agent', 'stop-bot'])).out).toBe('Resumed agent:stop-bot');
    expect((await run(['stop', '--list'])).out).toBe('Nothing is stopped');
    const again = await run(['resume', '--agent', 'stop-bot']);
    expect(again.code).toBe(1);
    expect(again.err).toContain('not_found');
    expect((await run(['stop', '--all', '--agent', 'x'])).code).toBe(2);
  });
});
