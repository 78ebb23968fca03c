import {
  type CryptoKey,
  createLocalJWKSet,
  errors,
  importJWK,
  type JSONWebKeySet,
  type JWK,
  type JWTVerifyGetKey,
  jwtVerify,
  type KeyObject,
} from 'jose';
import { ReceiptInvalidError } from '../errors/receipt-invalid-error.js';
import { RECEIPT_ISSUER, RECEIPT_TYPE, type ReceiptClaims } from '../protocol/receipt-claims.js';

/** A key a receipt may be verified with: a public JWK, or a `CryptoKey` / `KeyObject`. */
export type ReceiptKey = JWK | CryptoKey | KeyObject;

/** What {@link verifyReceipt} checks a receipt against. Give `jwks` or `key`. */
export interface VerifyReceiptOptions {
  /** The tool about to run. */
  toolName: string;
  /** The exact arguments about to run. */
  args: unknown;
  /**
   * The server's public keys: the JSON of `GET /.well-known/jwks.json`, or a key resolver such as
   * jose's `createRemoteJWKSet(new URL('/.well-known/jwks.json', serverUrl))`.
   */
  jwks?: JSONWebKeySet | JWTVerifyGetKey;
  /** One public key instead of `jwks`. */
  key?: ReceiptKey;
  /** The time to check expiry against (default: now). */
  now?: Date;
  /** Seconds of clock skew to tolerate on `exp` (default 0). */
  clockToleranceSeconds?: number;
}

// Building a key set or importing a key costs more than verifying; reuse them per object.
const keySets = new WeakMap<JSONWebKeySet, JWTVerifyGetKey>();
const importedKeys = new WeakMap<object, Promise<CryptoKey | KeyObject | Uint8Array>>();

function keyFor(options: VerifyReceiptOptions): JWTVerifyGetKey | Promise<unknown> {
  const { jwks, key } = options;
  if (typeof jwks === 'function') return jwks;
  if (jwks !== undefined) {
    let set = keySets.get(jwks);
    if (!set) {
      set = createLocalJWKSet(jwks);
      keySets.set(jwks, set);
    }
    return set;
  }
  if (key === undefined || key === null || typeof key !== 'object') {
    throw new TypeError('verifyReceipt needs options.jwks or options.key');
  }
  if ('kty' in key) {
    let imported = importedKeys.get(key);
    if (!imported) {
      imported = importJWK(key as JWK, 'EdDSA');
      importedKeys.set(key, imported);
    }
    return imported;
  }
  return Promise.resolve(key);
}

function refuse(reason: ReceiptInvalidError['reason'], message: string, cause?: unknown): never {
  throw new ReceiptInvalidError({ reason, message, ...(cause === undefined ? {} : { cause }) });
}

async function verifySignature(receipt: string, options: VerifyReceiptOptions) {
  const key = keyFor(options);
  const verifyOptions = {
    algorithms: ['EdDSA', 'Ed25519'],
    issuer: RECEIPT_ISSUER,
    typ: RECEIPT_TYPE,
    requiredClaims: ['sub', 'jti', 'exp', 'iat'],
    ...(options.now ? { currentDate: options.now } : {}),
    ...(options.clockToleranceSeconds ? { clockTolerance: options.clockToleranceSeconds } : {}),
  };
  try {
    if (typeof key === 'function') return (await jwtVerify(receipt, key, verifyOptions)).payload;
    const resolved = (await key) as CryptoKey;
    return (await jwtVerify(receipt, resolved, verifyOptions)).payload;
  } catch (error) {
    if (error instanceof errors.JWTExpired) refuse('expired', 'it has expired', error);
    if (error instanceof errors.JWTClaimValidationFailed) {
      if (error.claim === 'nbf' || error.claim === 'iat') {
        refuse('expired', 'it is not valid yet', error);
      }
      refuse('malformed', `its ${error.claim} claim is wrong`, error);
    }
    if (error instanceof errors.JWSSignatureVerificationFailed) {
      refuse(
        'signature',
        'the signature does not match (changed, or signed by another key)',
        error,
      );
    }
    if (error instanceof errors.JWKSNoMatchingKey) {
      refuse('signature', 'no published key matches its key id', error);
    }
    if (error instanceof errors.JOSEError) refuse('malformed', error.message, error);
    throw error;
  }
}

/** How a verifier computes the fingerprint of the call about to run. */
export type FingerprintOf = (toolName: string, args: unknown) => string | Promise<string>;

/** The signature of {@link verifyReceipt}. */
export type VerifyReceipt = (
  receipt: unknown,
  options: VerifyReceiptOptions,
) => Promise<ReceiptClaims>;

/**
 * A `verifyReceipt` that fingerprints with `fingerprintOf`: `node:crypto` on Node (the root
 * entry, faster), Web Crypto elsewhere (`@countersign/core/receipts`). Both give the same result.
 */
export function receiptVerifier(fingerprintOf: FingerprintOf): VerifyReceipt {
  return async function verifyReceipt(receipt, options) {
    if (typeof receipt !== 'string' || receipt.split('.').length !== 3) {
      refuse('malformed', 'a receipt is a compact JWS string');
    }
    const payload = (await verifySignature(receipt, options)) as Partial<ReceiptClaims>;
    if (typeof payload.tool !== 'string' || typeof payload.fingerprint !== 'string') {
      refuse('malformed', 'it names no tool or fingerprint');
    }
    if (payload.tool !== options.toolName) {
      refuse('tool', `it approves tool "${payload.tool}", not "${options.toolName}"`);
    }
    const actual = await fingerprintOf(options.toolName, options.args);
    if (payload.fingerprint !== actual) {
      refuse('fingerprint', 'the arguments differ from the ones that were approved');
    }
    return payload as ReceiptClaims;
  };
}
