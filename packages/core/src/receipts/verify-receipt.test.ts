import { generateKeyPairSync, KeyObject, sign as signBytes } from 'node:crypto';
import {
  type CryptoKey,
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  type JSONWebKeySet,
  type JWK,
  jwtVerify,
  SignJWT,
} from 'jose';
import { describe, expect, it } from 'vitest';
import { ReceiptInvalidError } from '../errors/receipt-invalid-error.js';
import { fingerprint } from '../fingerprint/fingerprint.js';
import { RECEIPT_ISSUER, RECEIPT_TYPE } from '../protocol/receipt-claims.js';
import { verifyReceipt as verifyAnywhere } from './index.js';
import { verifyReceipt as verifyOnNode } from './node-verify-receipt.js';
import type { VerifyReceiptOptions } from './verify-receipt.js';

const toolName = 'transfer_funds';
const args = { to: 'acme', amount: 1250 };
const now = new Date('2030-01-01T12:00:00Z');
const nowSeconds = now.getTime() / 1000;

const keyA = await generateKeyPair('EdDSA', { extractable: true });
const keyB = await generateKeyPair('EdDSA', { extractable: true });
const foreign = await generateKeyPair('EdDSA');
const publicJwk = async (key: CryptoKey, kid?: string): Promise<JWK> => ({
  ...(await exportJWK(key)),
  ...(kid === undefined ? {} : { kid }),
  alg: 'EdDSA',
  use: 'sig',
});
const jwkA = await publicJwk(keyA.publicKey, 'a');
const jwks: JSONWebKeySet = { keys: [jwkA, await publicJwk(keyB.publicKey, 'b')] };

const claims = {
  iss: RECEIPT_ISSUER,
  sub: 'req_1',
  jti: 'rct_1',
  tool: toolName,
  fingerprint: fingerprint(toolName, args),
  approvers: ['user:alice'],
  iat: nowSeconds,
  exp: nowSeconds + 600,
};

async function sign(
  payload: Record<string, unknown> = claims,
  header: Record<string, unknown> = {},
  key: CryptoKey = keyA.privateKey,
): Promise<string> {
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'EdDSA', kid: 'a', typ: RECEIPT_TYPE, ...header })
    .sign(key);
}

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JWS signed by hand, for headers jose refuses to sign. */
function signRaw(header: Record<string, unknown>, payload: Record<string, unknown>): string {
  const input = `${encode(header)}.${encode(payload)}`;
  const signature = signBytes(null, Buffer.from(input), KeyObject.from(keyA.privateKey));
  return `${input}.${signature.toString('base64url')}`;
}
const withPart = (receipt: string, index: number, part: string) =>
  receipt
    .split('.')
    .map((each, at) => (at === index ? part : each))
    .join('.');

/** jose's own JWT verification with the receipt's rules: the independent check. */
async function joseAccepts(receipt: string, options: VerifyReceiptOptions): Promise<boolean> {
  const key = options.key ?? createLocalJWKSet(options.jwks as JSONWebKeySet);
  try {
    const { payload } = await jwtVerify(receipt, key as never, {
      algorithms: ['EdDSA', 'Ed25519'],
      issuer: RECEIPT_ISSUER,
      typ: RECEIPT_TYPE,
      requiredClaims: ['sub', 'jti', 'exp', 'iat'],
      currentDate: options.now ?? now,
      clockTolerance: options.clockToleranceSeconds ?? 0,
    });
    return (
      payload.tool === options.toolName &&
      payload.fingerprint === fingerprint(options.toolName, options.args)
    );
  } catch {
    return false;
  }
}

async function outcome(
  verify: typeof verifyOnNode,
  receipt: string,
  options: VerifyReceiptOptions,
) {
  try {
    await verify(receipt, options);
    return 'accepted';
  } catch (error) {
    if (!ReceiptInvalidError.isInstance(error)) throw error;
    return (error as ReceiptInvalidError).reason;
  }
}

type Case = [name: string, receipt: () => Promise<string>, expected: string, extra?: object];
const cases: Case[] = [
  ['a genuine receipt', () => sign(), 'accepted'],
  [
    'signed by the older key of a rotated set',
    () => sign(claims, { kid: 'b' }, keyB.privateKey),
    'accepted',
  ],
  [
    'typ with the application/ prefix',
    () => sign(claims, { typ: `application/${RECEIPT_TYPE}` }),
    'accepted',
  ],
  [
    'issued in the future (no age limit)',
    () => sign({ ...claims, iat: nowSeconds + 60 }),
    'accepted',
  ],
  [
    'expired, within the clock tolerance',
    () => sign({ ...claims, exp: nowSeconds - 5 }),
    'accepted',
    { clockToleranceSeconds: 10 },
  ],
  [
    'a changed payload',
    async () => withPart(await sign(), 1, encode({ ...claims, approvers: ['user:mallory'] })),
    'signature',
  ],
  [
    'a changed header',
    async () => withPart(await sign(), 0, encode({ alg: 'EdDSA', kid: 'b', typ: RECEIPT_TYPE })),
    'signature',
  ],
  ['signed by a foreign key', () => sign(claims, {}, foreign.privateKey), 'signature'],
  ['an unknown key id', () => sign(claims, { kid: 'zzz' }), 'signature'],
  ['a signature with extra characters', async () => `${await sign()}AA`, 'signature'],
  [
    'no signature (alg none)',
    async () => `${encode({ alg: 'none', typ: RECEIPT_TYPE })}.${encode(claims)}.`,
    'signature',
  ],
  ['expired', () => sign({ ...claims, exp: nowSeconds - 1 }), 'expired'],
  ['expiring this very second', () => sign({ ...claims, exp: nowSeconds }), 'expired'],
  ['not valid yet', () => sign({ ...claims, nbf: nowSeconds + 60 }), 'expired'],
  ['another typ', () => sign(claims, { typ: 'JWT' }), 'malformed'],
  ['another issuer', () => sign({ ...claims, iss: 'someone' }), 'malformed'],
  ['no jti', () => sign({ ...claims, jti: undefined }), 'malformed'],
  ['exp not a number', () => sign({ ...claims, exp: 'tomorrow' }), 'malformed'],
  [
    'a critical header extension',
    async () => signRaw({ alg: 'EdDSA', kid: 'a', typ: RECEIPT_TYPE, crit: ['x'], x: 1 }, claims),
    'malformed',
  ],
  [
    'signed by hand like the server does',
    async () => signRaw({ alg: 'EdDSA', kid: 'a', typ: RECEIPT_TYPE }, claims),
    'accepted',
  ],
  ['a header that is not JSON', async () => withPart(await sign(), 0, 'bm90IGpzb24'), 'malformed'],
  ['another tool', () => sign({ ...claims, tool: 'refund' }), 'tool'],
  [
    'other arguments',
    () => sign({ ...claims, fingerprint: fingerprint(toolName, { ...args, amount: 1 }) }),
    'fingerprint',
  ],
];

describe('verifyReceipt on node:crypto and on Web Crypto, against jose', () => {
  it.each(cases)('%s', async (_name, make, expected, extra = {}) => {
    const receipt = await make();
    const options = { toolName, args, jwks, now, ...extra };
    expect(await outcome(verifyOnNode, receipt, options)).toBe(expected);
    expect(await outcome(verifyAnywhere, receipt, options)).toBe(expected);
    expect(await joseAccepts(receipt, options)).toBe(expected === 'accepted');
  });

  it('refuses an HS256 token made with the public key as its secret', async () => {
    const secret = new TextEncoder().encode(JSON.stringify(jwkA));
    const receipt = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', kid: 'a', typ: RECEIPT_TYPE })
      .sign(secret);
    const options = { toolName, args, jwks, now };
    // HMAC signatures are 32 bytes: refused by their shape before any key is chosen.
    expect(await outcome(verifyOnNode, receipt, options)).toBe('signature');
    expect(await outcome(verifyAnywhere, receipt, options)).toBe('signature');
    expect(await joseAccepts(receipt, options)).toBe(false);
  });

  it('takes one key as a JWK, a CryptoKey or a KeyObject, and refuses a private one', async () => {
    const receipt = await sign();
    const keyObject = KeyObject.from(keyA.publicKey);
    for (const key of [jwkA, keyA.publicKey, keyObject]) {
      for (const verify of [verifyOnNode, verifyAnywhere]) {
        await expect(verify(receipt, { toolName, args, key, now })).resolves.toMatchObject({
          sub: 'req_1',
        });
      }
    }
    const { privateKey } = generateKeyPairSync('ed25519');
    await expect(verifyOnNode(receipt, { toolName, args, key: privateKey, now })).rejects.toThrow(
      TypeError,
    );
  });

  it('refuses a key set it cannot choose from: two keys without a key id, or a private key', async () => {
    const unnamed = {
      keys: [await publicJwk(keyA.publicKey), await publicJwk(keyB.publicKey)],
    };
    const receipt = await sign(claims, { kid: undefined });
    const privateSet = { keys: [{ ...(await exportJWK(keyA.privateKey)), kid: 'a' }] };
    for (const set of [unnamed, privateSet]) {
      const options = { toolName, args, jwks: set, now };
      expect(await outcome(verifyOnNode, receipt, options)).toBe('malformed');
      expect(await outcome(verifyAnywhere, receipt, options)).toBe('malformed');
      expect(await joseAccepts(receipt, options)).toBe(false);
    }
  });

  it('is stricter than jose on one point: only the canonical encoding of the signature', async () => {
    let receipt = await sign();
    for (let attempt = 0; !receipt.endsWith('A'); attempt++) {
      receipt = await sign({ ...claims, jti: `rct_${attempt}` });
    }
    // 'B' carries the same two significant bits as 'A': the same signature bytes, another string.
    const twin = `${receipt.slice(0, -1)}B`;
    const options = { toolName, args, jwks, now };
    expect(await joseAccepts(twin, options)).toBe(true);
    expect(await outcome(verifyOnNode, twin, options)).toBe('signature');
    expect(await outcome(verifyAnywhere, twin, options)).toBe('signature');
  });

  it('refuses options that would switch expiry off: an invalid now, a tolerance not a finite count', async () => {
    const expired = await sign({ ...claims, exp: nowSeconds - 3600 });
    for (const extra of [
      { now: new Date('not a date') },
      { clockToleranceSeconds: Number.POSITIVE_INFINITY },
      { clockToleranceSeconds: Number.NaN },
      { clockToleranceSeconds: -5 },
    ]) {
      for (const verify of [verifyOnNode, verifyAnywhere]) {
        await expect(verify(expired, { toolName, args, jwks, now, ...extra })).rejects.toThrow(
          TypeError,
        );
      }
    }
  });

  it('reads a key set once: keys added to the same object later are not seen', async () => {
    const set: JSONWebKeySet = { keys: [jwkA] };
    const options = { toolName, args, jwks: set, now };
    expect(await outcome(verifyOnNode, await sign(), options)).toBe('accepted');
    set.keys.push(await publicJwk(keyB.publicKey, 'b'));
    const byB = await sign(claims, { kid: 'b' }, keyB.privateKey);
    expect(await outcome(verifyOnNode, byB, options)).toBe('signature');
    expect(await outcome(verifyOnNode, byB, { ...options, jwks: { keys: [...set.keys] } })).toBe(
      'accepted',
    );
  });
});
