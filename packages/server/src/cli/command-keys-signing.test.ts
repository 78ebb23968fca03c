import { verifyReceipt } from '@countersign/core';
import { decodeProtectedHeader } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test/start-test-server.js';
import { runCapturedCli } from '../test-support/captured-cli.js';

const SECRET = 'the-operators-signing-key-secret-0123456789';
let server: TestServer;
beforeEach(async () => {
  server = await startTestServer({ receipts: { signingKeySecret: SECRET } });
});
afterEach(async () => {
  await server.close();
});

const run = runCapturedCli;

async function api(method: string, path: string, key: string, body?: unknown) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  // biome-ignore lint/suspicious/noExplicitAny: tests read replies loosely
  return response.json() as Promise<any>;
}

describe('countersign keys rotate-signing and offline approvals', () => {
  it('adds a signing key the running server signs with, the old one still published', async () => {
    const env = { COUNTERSIGN_SIGNING_KEY_SECRET: SECRET };
    const keySet = async () =>
      (await (await fetch(`${server.url}/.well-known/jwks.json`)).json()) as {
        keys: { kid: string }[];
      };
    const before = await keySet();
    const rotated = await run(['keys', 'rotate-signing', '--db', server.dbPath, '--json'], env);
    expect(rotated.code).toBe(0);
    const { id } = JSON.parse(rotated.out) as { id: string };
    const after = await keySet();
    expect(after.keys.map((key) => key.kid)).toEqual([id, before.keys[0]?.kid]);

    const agent = await server.createKey({ role: 'agent', name: 'bot' });
    const tool = { name: 'pay', args: { amount: 5 } };
    const created = await api('POST', '/v1/requests', agent, { action: 'pay', tool });
    // Approved offline, on the database: the receipt is signed with the rotated-in key.
    const approved = await run(['approve', created.id, '--db', server.dbPath, '--json'], env);
    expect(approved.code).toBe(0);
    const request = await api('GET', `/v1/requests/${created.id}`, server.adminKey);
    expect(decodeProtectedHeader(request.resolution.receipt).kid).toBe(id);
    await verifyReceipt(request.resolution.receipt, {
      toolName: 'pay',
      args: tool.args,
      jwks: after,
    });
  });

  it('refuses to rotate without the secret, naming where it comes from', async () => {
    const refused = await run(['keys', 'rotate-signing', '--db', server.dbPath]);
    expect(refused.code).not.toBe(0);
    expect(refused.err).toContain('COUNTERSIGN_SIGNING_KEY_SECRET');
  });
});
