import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { dropSchema, postgresTestUrl, testSchema } from '../test-support/postgres.js';
import { Receiver, until } from '../test-support/webhook-receiver.js';

const BIN = fileURLToPath(new URL('../../bin/countersign.js', import.meta.url));
const METRICS_TOKEN = 'Metrics-Token-7f3a9c1e5b';
const DB_PASSWORD = 'Db-Passw0rd-4e8b2d';
const HOOK_PASSWORD = 'Hook-Passw0rd-1c9e';
const CALLBACK_TOKEN = 'Callback-Query-Token-5d2f';
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

let child: ChildProcess | undefined;
let receiver: Receiver | undefined;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  child?.kill('SIGKILL');
  await receiver?.down();
  for (const cleanup of cleanups.splice(0)) await cleanup();
  child = receiver = undefined;
});

/** The URL with a password added (trust authentication on the test database ignores it). */
function withPassword(url: string, password: string): string {
  const parsed = new URL(url);
  parsed.password = password;
  return parsed.toString();
}

describe('the JSON logs of a whole scenario', () => {
  it('carry request ids, principals, routes and trace ids, and never a secret', async () => {
    const schema = testSchema();
    cleanups.push(() => dropSchema(schema));
    const directory = await mkdtemp(join(tmpdir(), 'countersign-logs-'));
    cleanups.push(() => rm(directory, { recursive: true, force: true }));
    receiver = new Receiver();
    await receiver.up();
    let stdout = '';
    let stderr = '';
    child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--log-level', 'trace'], {
      env: {
        PATH: process.env.PATH ?? '',
        COUNTERSIGN_DATABASE_URL: withPassword(postgresTestUrl(), DB_PASSWORD),
        COUNTERSIGN_DATABASE_SCHEMA: schema,
        COUNTERSIGN_METRICS_TOKEN: METRICS_TOKEN,
        COUNTERSIGN_WEBHOOK_POLL_INTERVAL: '50ms',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    await until(async () => /listening on http/.test(stdout), 'the server to listen');
    const base = /listening on (\S+)/.exec(stdout)?.[1] as string;
    const adminKey = /\b(csk_\S+)/.exec(stdout)?.[1] as string;
    const call = async (key: string, method: string, path: string, body?: unknown) => {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${key}`,
          'x-request-id': `scenario-${method}-${path.length}`,
          traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      const json = response.headers.get('content-type')?.includes('json');
      // biome-ignore lint/suspicious/noExplicitAny: test replies read loosely
      return { status: response.status, body: (json ? JSON.parse(text) : text) as any };
    };
    const newKey = async (role: string, name: string) =>
      (await call(adminKey, 'POST', '/v1/keys', { role, name })).body.key as string;
    const agentKey = await newKey('agent', 'bot');
    const reviewerKey = await newKey('reviewer', 'alice');
    const hook = `http://hooks:${HOOK_PASSWORD}@127.0.0.1:${receiver.port}/hook`;
    const subscription = await call(adminKey, 'POST', '/v1/webhooks', {
      url: hook,
      events: ['request.created', 'request.decided'],
    });
    expect(subscription.status).toBe(201);
    const callbackSecret = (await call(adminKey, 'GET', '/v1/webhooks/callback-secret')).body
      .secret as string;
    const created = await call(agentKey, 'POST', '/v1/requests', {
      action: 'Pay',
      callbackUrl: `http://127.0.0.1:${receiver.port}/callback?token=${CALLBACK_TOKEN}`,
    });
    expect(created.status).toBe(201);
    const waited = fetch(`${base}/v1/requests/${created.body.id}/wait?timeout=20`, {
      headers: { authorization: `Bearer ${agentKey}` },
    });
    const decided = await call(reviewerKey, 'POST', `/v1/requests/${created.body.id}/decisions`, {
      outcome: 'approve',
    });
    expect(decided.status).toBe(200);
    expect(((await (await waited).json()) as { status: string }).status).toBe('approved');
    const wrongKey = 'csk_notakey_Wrong-Key-Secret-9a8b7c';
    expect((await call(wrongKey, 'GET', '/v1/requests')).status).toBe(401);
    expect((await call('Wrong-Metrics-Token-000111', 'GET', '/metrics')).status).toBe(401);
    expect((await call(METRICS_TOKEN, 'GET', '/metrics')).status).toBe(200);
    // fetch refuses URLs with credentials, so only the callback arrives; the failing
    // subscription's error must stay out of the logs too.
    await until(
      async () =>
        (receiver?.received.filter((got) => got.path.startsWith('/callback')).length ?? 0) >= 2,
      'the callback deliveries',
    );
    await until(async () => /"route":"\/metrics"/.test(stderr), 'the last request line');
    child.kill('SIGTERM');
    await new Promise((resolve) => child?.once('exit', resolve));

    const lines = stderr.trim().split('\n');
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries.every((entry) => typeof entry.level === 'number' && entry.time)).toBe(true);
    const decision = entries.find(
      (entry) => entry.route === '/v1/requests/:id/decisions' && entry.status === 200,
    );
    expect(decision).toMatchObject({
      msg: 'request',
      method: 'POST',
      principal: 'user:alice',
      requestId: expect.stringMatching(/^scenario-POST-/),
      // Without an SDK in the server, the caller's trace is the one logged.
      traceId: TRACE_ID,
    });
    expect(entries.find((entry) => entry.status === 401)).toMatchObject({ route: '/v1/*' });
    const secrets = [
      adminKey,
      agentKey,
      reviewerKey,
      wrongKey,
      subscription.body.secret as string,
      callbackSecret,
      METRICS_TOKEN,
      'Wrong-Metrics-Token-000111',
      DB_PASSWORD,
      HOOK_PASSWORD,
      CALLBACK_TOKEN,
    ];
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThan(10);
      expect(stderr).not.toContain(secret);
      // The secret part of a key alone, too.
      // `csk_<id>_<secret>`: the secret is base64url, so it may hold `_` itself; take all of it.
      if (secret.startsWith('csk_')) {
        const part = secret.slice(secret.indexOf('_', 'csk_'.length) + 1);
        expect(part.length).toBeGreaterThan(20);
        expect(stderr).not.toContain(part);
      }
    }
  });
});
