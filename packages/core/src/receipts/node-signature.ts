import { createPublicKey, KeyObject, verify } from 'node:crypto';
import type { JWK } from 'jose';
import { joseSignature } from './jose-signature.js';
import { checkHeader, refuse } from './receipt-checks.js';
import type { ReceiptKey, SignedReceipt, VerifyReceiptOptions } from './verify-receipt.js';

// The same JWS check as jose's (RFC 7515 compact serialization, Ed25519) on `node:crypto` with a
// key imported once: jose goes through Web Crypto, whose per-call work costs about as much again
// as the signature check itself.

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** One member of a key set as jose's local key set selects it, imported when usable. */
interface SetMember {
  jwk: Readonly<JWK>;
  key: KeyObject | Error;
}

const keySets = new WeakMap<object, SetMember[]>();
const singleKeys = new WeakMap<object, KeyObject>();

function decodeJson(part: string, what: string): unknown {
  if (!BASE64URL.test(part)) refuse('malformed', `its ${what} is not base64url`);
  try {
    return JSON.parse(strictUtf8.decode(Buffer.from(part, 'base64url')));
  } catch (error) {
    refuse('malformed', `its ${what} is not JSON`, error);
  }
}

function publicEd25519(jwk: JWK): KeyObject {
  // createPublicKey would derive the public half of a private JWK; a key set holds public keys.
  if ('d' in jwk) throw new TypeError('verifyReceipt: a private key cannot check receipts');
  return createPublicKey({ key: jwk as never, format: 'jwk' });
}

function membersOf(jwks: object): SetMember[] {
  let members = keySets.get(jwks);
  if (members) return members;
  const keys = (jwks as { keys?: unknown }).keys;
  if (!Array.isArray(keys) || !keys.every((jwk) => typeof jwk === 'object' && jwk !== null)) {
    throw new TypeError('verifyReceipt: options.jwks is not a JSON Web Key Set');
  }
  members = (structuredClone(keys) as JWK[]).map((jwk) => {
    if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519') return { jwk, key: new Error('not Ed25519') };
    try {
      return { jwk, key: publicEd25519(jwk) };
    } catch (error) {
      return { jwk, key: error instanceof Error ? error : new Error(String(error)) };
    }
  });
  keySets.set(jwks, members);
  return members;
}

// jose's rules for a key set member that may check an Ed25519 JWS with `alg` and `kid`.
function usable(jwk: Readonly<JWK>, alg: string, kid: unknown): boolean {
  const ops = jwk.key_ops;
  return (
    (jwk.ext === undefined || typeof jwk.ext === 'boolean') &&
    (ops === undefined ||
      (Array.isArray(ops) &&
        ops.every((op, index) => typeof op === 'string' && ops.indexOf(op) === index) &&
        ops.includes('verify'))) &&
    jwk.kty === 'OKP' &&
    (kid === undefined || (typeof kid === 'string' && kid === jwk.kid)) &&
    (jwk.alg === undefined || jwk.alg === alg) &&
    (jwk.use === undefined || jwk.use === 'sig') &&
    jwk.crv === 'Ed25519'
  );
}

function setKey(jwks: object, header: Record<string, unknown>): KeyObject {
  const candidates = membersOf(jwks).filter((member) =>
    usable(member.jwk, header.alg as string, header.kid),
  );
  if (candidates.length === 0) refuse('signature', 'no published key matches its key id');
  // As jose's key set: with several candidates (no kid to tell them apart) it does not guess.
  if (candidates.length > 1) refuse('malformed', 'several published keys match its key id');
  const { key } = candidates[0] as SetMember;
  if (key instanceof Error) refuse('malformed', `its key cannot check it: ${key.message}`, key);
  return key;
}

function singleKey(key: ReceiptKey): KeyObject {
  let imported = key instanceof KeyObject ? key : singleKeys.get(key);
  if (imported === undefined) {
    imported =
      'kty' in key
        ? publicEd25519(key as JWK)
        : KeyObject.from(key as Parameters<typeof KeyObject.from>[0]);
    singleKeys.set(key, imported);
  }
  if (imported.type !== 'public' || imported.asymmetricKeyType !== 'ed25519') {
    throw new TypeError('verifyReceipt: options.key must be a public Ed25519 key');
  }
  return imported;
}

function keyFor(options: VerifyReceiptOptions, header: Record<string, unknown>): KeyObject {
  const { jwks, key } = options;
  if (jwks !== undefined && typeof jwks === 'object' && jwks !== null) return setKey(jwks, header);
  if (key === undefined || key === null || typeof key !== 'object') {
    throw new TypeError('verifyReceipt needs options.jwks or options.key');
  }
  return singleKey(key);
}

/**
 * Checks a receipt's signature with `node:crypto`, keys imported once per key set or key
 * object. A key resolver function (`createRemoteJWKSet`) goes to jose.
 */
export async function nodeSignature(
  receipt: string,
  parts: [string, string, string],
  options: VerifyReceiptOptions,
): Promise<SignedReceipt> {
  if (typeof options.jwks === 'function') return joseSignature(receipt, parts, options);
  const [head, body, signature] = parts;
  const header = checkHeader(decodeJson(head, 'header'));
  const key = keyFor(options, header);
  if (!BASE64URL.test(body)) refuse('malformed', 'its payload is not base64url');
  const signed = Buffer.from(receipt.slice(0, head.length + 1 + body.length), 'latin1');
  const signatureBytes = Buffer.from(signature, 'base64url');
  if (!verify(null, signed, key, signatureBytes)) {
    refuse('signature', 'the signature does not match (changed, or signed by another key)');
  }
  return { header, payload: decodeJson(body, 'payload') };
}
