import { ReceiptInvalidError, verifyReceipt } from '@countersign/core';
import {
  createLocalJWKSet,
  decodeProtectedHeader,
  generateKeyPair,
  jwtVerify,
  SignJWT,
} from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../test-support/harness.js';
import { rotateSigningKey } from './rotate-signing-key.js';
import { SigningKeys } from './signing-keys.js';

const SECRET = 'a-test-secret-of-at-least-thirty-two-characters';
const tool = { name: 'pay', args: { amount: 5, to: 'acme' } };

let h: Harness;
afterEach(async () => {
  await h?.close();
});

async function approved(harness: Harness, args: Record<string, unknown> = tool.args) {
  const created = await harness.call(harness.keys.agent, 'POST', '/v1/requests', {
    action: 'Pay acme',
    tool: { name: tool.name, args },
    policy: { rule: 'payments', rules: [], default: { action: 'allow' } },
  });
  const decided = await harness.call(
    harness.keys.alice,
    'POST',
    `/v1/requests/${created.body.id}/decisions`,
    { outcome: 'approve' },
  );
  expect(decided.status).toBe(200);
  return decided.body;
}

describe('decision receipts', () => {
  it('signs every approval with Ed25519, verifiable with jose alone against the published keys', async () => {
    h = await createHarness({ receipts: { signingKeySecret: SECRET, ttlMs: 60_000 } });
    const request = await approved(h);
    const { receipt, receiptId } = request.resolution;
    expect(typeof receipt).toBe('string');
    const jwks = await h.call(undefined, 'GET', '/.well-known/jwks.json');
    expect(jwks.status).toBe(200);
    expect(jwks.body.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA' });
    expect(jwks.body.keys[0].d).toBeUndefined();
    const { payload, protectedHeader } = await jwtVerify(receipt, createLocalJWKSet(jwks.body), {
      currentDate: new Date(h.clock.now()),
    });
    expect(protectedHeader).toMatchObject({ alg: 'EdDSA', typ: 'countersign-receipt+jwt' });
    expect(payload).toEqual({
      iss: 'countersign',
      sub: request.id,
      jti: receiptId,
      tool: 'pay',
      fingerprint: request.resolution.fingerprint,
      approvers: ['user:alice'],
      rule: 'payments',
      iat: Math.floor(h.clock.now() / 1000),
      exp: Math.floor(h.clock.now() / 1000) + 60,
    });
    // The stored private key is encrypted: its `d` appears nowhere in the database.
    const stored = await h.context.store.read((tx) => tx.listSigningKeys());
    expect(stored[0]?.privateKey).toMatch(/^v1\./);
    expect(stored[0]?.privateKey).not.toContain('"d"');
  });

  it('refuses tampered args, another tool, an expired receipt and a foreign key', async () => {
    h = await createHarness({ receipts: { signingKeySecret: SECRET, ttlMs: 60_000 } });
    const { resolution } = await approved(h);
    const jwks = (await h.call(undefined, 'GET', '/.well-known/jwks.json')).body;
    const now = new Date(h.clock.now());
    const check = (
      options: Partial<Parameters<typeof verifyReceipt>[1]>,
      receipt = resolution.receipt,
    ) => verifyReceipt(receipt, { toolName: 'pay', args: tool.args, jwks, now, ...options });
    await expect(check({})).resolves.toMatchObject({ tool: 'pay', approvers: ['user:alice'] });
    const reasonOf = async (promise: Promise<unknown>) => {
      const error = await promise.then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(ReceiptInvalidError.isInstance(error)).toBe(true);
      return (error as ReceiptInvalidError).reason;
    };
    expect(await reasonOf(check({ args: { amount: 500, to: 'acme' } }))).toBe('fingerprint');
    expect(await reasonOf(check({ toolName: 'refund' }))).toBe('tool');
    expect(await reasonOf(check({ now: new Date(h.clock.now() + 61_000) }))).toBe('expired');
    const other = await generateKeyPair('EdDSA');
    const forged = await new SignJWT({ ...decodePayload(resolution.receipt) })
      .setProtectedHeader({
        alg: 'EdDSA',
        kid: decodeProtectedHeader(resolution.receipt).kid as string,
        typ: 'countersign-receipt+jwt',
      })
      .sign(other.privateKey);
    expect(await reasonOf(check({}, forged))).toBe('signature');
    const [head, body, signature] = resolution.receipt.split('.');
    const changed = Buffer.from(
      JSON.stringify({ ...decodePayload(resolution.receipt), approvers: ['user:mallory'] }),
    ).toString('base64url');
    expect(await reasonOf(check({}, `${head}.${changed}.${signature}`))).toBe('signature');
    // The forged payload really differs from the signed one: only the signature can catch it.
    expect(changed).not.toBe(body);
    expect(await reasonOf(check({}, 'not-a-receipt'))).toBe('malformed');
    expect(await reasonOf(check({ key: other.publicKey, jwks: undefined }))).toBe('signature');
  });

  it('keeps verifying receipts signed before a rotation, and signs new ones with the new key', async () => {
    h = await createHarness({ receipts: { signingKeySecret: SECRET } });
    const before = await approved(h);
    const newId = await rotateSigningKey(h.context.store, { secret: SECRET });
    const after = await approved(h, { amount: 6, to: 'acme' });
    expect(decodeProtectedHeader(after.resolution.receipt).kid).toBe(newId);
    expect(decodeProtectedHeader(before.resolution.receipt).kid).not.toBe(newId);
    const jwks = (await h.call(undefined, 'GET', '/.well-known/jwks.json')).body;
    expect(jwks.keys.map((key: { kid: string }) => key.kid)[0]).toBe(newId);
    const now = new Date(h.clock.now());
    await verifyReceipt(before.resolution.receipt, { toolName: 'pay', args: tool.args, jwks, now });
    await verifyReceipt(after.resolution.receipt, {
      toolName: 'pay',
      args: { amount: 6, to: 'acme' },
      jwks,
      now,
    });
  });

  it('consumes a receipt once: idempotent for its consumer, 409 for a second one, even racing', async () => {
    h = await createHarness({ receipts: { signingKeySecret: SECRET } });
    const { resolution } = await approved(h);
    const path = `/v1/receipts/${resolution.receiptId}/consume`;
    const body = { receipt: resolution.receipt };
    const toolServerA = await h.key({ role: 'agent', name: 'tool-a' });
    const toolServerB = await h.key({ role: 'agent', name: 'tool-b' });
    const [a, b] = await Promise.all([
      h.call(toolServerA, 'POST', path, body),
      h.call(toolServerB, 'POST', path, body),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const winner =
      a.status === 200 ? { key: toolServerA, reply: a } : { key: toolServerB, reply: b };
    expect(winner.reply.body).toMatchObject({ receiptId: resolution.receiptId, replayed: false });
    const again = await h.call(winner.key, 'POST', path, body);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ replayed: true, consumedAt: winner.reply.body.consumedAt });
    const wrongId = await h.call(toolServerA, 'POST', '/v1/receipts/rct_other/consume', body);
    expect(wrongId.status).toBe(400);
    h.clock.advance(11 * 60_000);
    const other = await approved(h, { amount: 7, to: 'acme' });
    h.clock.advance(11 * 60_000);
    const late = await h.call(
      toolServerA,
      'POST',
      `/v1/receipts/${other.resolution.receiptId}/consume`,
      {
        receipt: other.resolution.receipt,
      },
    );
    expect(late.status).toBe(409);
    const audit = await h.call(h.keys.admin, 'GET', '/v1/audit');
    const types = audit.text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).type);
    expect(types.filter((type: string) => type === 'receipt_consumed')).toHaveLength(1);
    const verified = await h.call(h.keys.admin, 'GET', '/v1/audit/verify');
    expect(verified.body).toMatchObject({ ok: true });
  });

  it('reuses the stored key across restarts with the same secret', async () => {
    h = await createHarness({ receipts: { signingKeySecret: SECRET } });
    const first = await approved(h);
    const kid = decodeProtectedHeader(first.resolution.receipt).kid;
    const now = new Date(h.clock.now()).toISOString();
    const restarted = new SigningKeys(SECRET);
    const reused = await h.context.store.transaction((tx) => restarted.active(tx, now));
    expect(reused.id).toBe(kid);
    // Another secret cannot open the stored key, so it makes (and publishes) its own.
    const other = new SigningKeys('another-secret-of-at-least-thirty-two-chars');
    const made = await h.context.store.transaction((tx) => other.active(tx, now));
    expect(made.id).not.toBe(kid);
    const records = await h.context.store.read((tx) => tx.listSigningKeys());
    expect(records.map((record) => record.id)).toEqual([made.id, kid]);
    // The first secret keeps signing with the key it can open.
    const again = await h.context.store.transaction((tx) => restarted.active(tx, now));
    expect(again.id).toBe(kid);
  });
});

function decodePayload(receipt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(receipt.split('.')[1] as string, 'base64url').toString('utf8'));
}
