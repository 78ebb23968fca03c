// Decision receipts per call: signing one (the server, once per approval) and verifying one (a
// tool server, once per call), against the fingerprint every approved call computes anyway.

import { createPublicKey, verify as verifySignature } from 'node:crypto';
import {
  fingerprint,
  RECEIPT_ISSUER,
  RECEIPT_TYPE,
  type ReceiptClaims,
  verifyReceipt,
} from '@countersign/core';
import { verifyReceipt as verifyAnywhere } from '@countersign/core/receipts';
import { createLocalJWKSet, exportJWK, generateKeyPair, jwtVerify, SignJWT } from 'jose';
import { type BenchResult, measure, printTable } from './measure.ts';

const toolName = 'transfer_funds';
const args = { to: 'acme-gmbh', amount: 1250, currency: 'EUR', memo: 'invoice 2030-117' };
const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
const publicJwk = { ...(await exportJWK(publicKey)), kid: 'bench', alg: 'EdDSA', use: 'sig' };
const jwks = { keys: [publicJwk] };

function claims(): ReceiptClaims {
  const iat = Math.floor(Date.now() / 1000);
  return {
    iss: RECEIPT_ISSUER,
    sub: 'req_bench',
    jti: `rct_${Math.random().toString(36).slice(2)}`,
    tool: toolName,
    fingerprint: fingerprint(toolName, args),
    approvers: ['user:alice'],
    rule: 'payments',
    iat,
    exp: iat + 600,
  };
}

// What the server does per approval (see packages/server/src/receipts/receipt-signer.ts).
const sign = () =>
  new SignJWT({ ...claims() })
    .setProtectedHeader({ alg: 'EdDSA', kid: 'bench', typ: RECEIPT_TYPE })
    .sign(privateKey);
const receipt = await sign();

const results: BenchResult[] = [];
results.push(
  await measure({ name: 'fingerprint (baseline)', fn: () => fingerprint(toolName, args) }),
);
results.push(await measure({ name: 'sign a receipt (server)', fn: sign }));
// The floor on this machine: one Ed25519 signature check, nothing else.
const [head, body, signature] = receipt.split('.') as [string, string, string];
const signedPart = Buffer.from(`${head}.${body}`);
const signatureBytes = Buffer.from(signature, 'base64url');
const nodeKey = createPublicKey({ key: publicJwk, format: 'jwk' });
results.push(
  await measure({
    name: 'node:crypto Ed25519 verify alone',
    fn: () => verifySignature(null, signedPart, nodeKey, signatureBytes),
  }),
);
results.push(
  await measure({
    name: 'jose jwtVerify alone',
    fn: () => jwtVerify(receipt, publicKey, { algorithms: ['EdDSA'] }),
  }),
);
// What verifyReceipt did before it checked signatures on node:crypto: jose's jwtVerify against a
// cached local key set, then the fingerprint. Kept here for the same-run comparison.
const joseKeySet = createLocalJWKSet(jwks);
const joseOptions = {
  algorithms: ['EdDSA', 'Ed25519'],
  issuer: RECEIPT_ISSUER,
  typ: RECEIPT_TYPE,
  requiredClaims: ['sub', 'jti', 'exp', 'iat'],
};
results.push(
  await measure({
    name: 'jose jwtVerify + jwks + fingerprint (before)',
    fn: async () => {
      const { payload } = await jwtVerify(receipt, joseKeySet, joseOptions);
      if (payload.fingerprint !== fingerprint(toolName, args)) throw new Error('fingerprint');
    },
  }),
);
results.push(
  await measure({
    name: 'verifyReceipt with jwks',
    fn: () => verifyReceipt(receipt, { toolName, args, jwks }),
  }),
);
results.push(
  await measure({
    name: 'verifyReceipt with a JWK key',
    fn: () => verifyReceipt(receipt, { toolName, args, key: publicJwk }),
  }),
);
results.push(
  await measure({
    name: 'verifyReceipt, /receipts (Web Crypto)',
    fn: () => verifyAnywhere(receipt, { toolName, args, jwks }),
  }),
);
printTable('Decision receipts, per call', results);

const byName = (name: string) => results.find((result) => result.name === name) as BenchResult;
const verify = byName('verifyReceipt with jwks');
const before = byName('jose jwtVerify + jwks + fingerprint (before)');
const floor = byName('node:crypto Ed25519 verify alone');
const micros = verify.nsPerOp / 1000;
const floorMicros = floor.nsPerOp / 1000;
console.log(
  `verifyReceipt: ${micros.toFixed(1)} µs per call (target ≤ 100 µs: ${micros <= 100 ? 'met' : 'NOT met'}); ` +
    `${(before.nsPerOp / verify.nsPerOp).toFixed(2)}× faster than before; ` +
    `one bare Ed25519 verification here: ${floorMicros.toFixed(1)} µs (verifyReceipt is ${(verify.nsPerOp / floor.nsPerOp).toFixed(2)}× of it` +
    `${floorMicros > 100 ? '; the floor alone is above the target on this machine' : ''})`,
);
