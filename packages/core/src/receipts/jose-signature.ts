import {
  type CryptoKey,
  compactVerify,
  createLocalJWKSet,
  decodeProtectedHeader,
  errors,
  importJWK,
  type JSONWebKeySet,
  type JWK,
  type JWTVerifyGetKey,
  type KeyObject,
} from 'jose';
import { checkHeader, RECEIPT_ALGORITHMS, refuse } from './receipt-checks.js';
import type { SignedReceipt, VerifyReceiptOptions } from './verify-receipt.js';

// Building a key set or importing a key costs more than verifying; reuse them per object.
const keySets = new WeakMap<JSONWebKeySet, JWTVerifyGetKey>();
const importedKeys = new WeakMap<object, Promise<CryptoKey | KeyObject | Uint8Array>>();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function keyFor(options: VerifyReceiptOptions): JWTVerifyGetKey | Promise<unknown> {
  const { jwks, key } = options;
  if (typeof jwks === 'function') return jwks;
  if (jwks !== undefined) {
    let set = keySets.get(jwks);
    if (!set) {
      try {
        set = createLocalJWKSet(jwks);
      } catch (cause) {
        throw new TypeError('verifyReceipt: options.jwks is not a JSON Web Key Set', { cause });
      }
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

function headerOf(receipt: string): Record<string, unknown> {
  try {
    return checkHeader(decodeProtectedHeader(receipt));
  } catch (error) {
    if (error instanceof errors.JOSEError || error instanceof TypeError) {
      refuse('malformed', 'its header is not base64url JSON', error);
    }
    throw error;
  }
}

function payloadOf(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(strictUtf8.decode(bytes));
  } catch (error) {
    refuse('malformed', 'its payload is not JSON', error);
  }
}

/**
 * Checks a receipt's signature with jose on Web Crypto: any runtime, and any key resolver (such
 * as `createRemoteJWKSet`). The root entry's Node check hands resolver functions to this one.
 */
export async function joseSignature(
  receipt: string,
  _parts: [string, string, string],
  options: VerifyReceiptOptions,
): Promise<SignedReceipt> {
  const header = headerOf(receipt);
  const key = keyFor(options);
  const algorithms = [...RECEIPT_ALGORITHMS];
  try {
    const verified =
      typeof key === 'function'
        ? await compactVerify(receipt, key, { algorithms })
        : await compactVerify(receipt, (await key) as CryptoKey, { algorithms });
    return { header, payload: payloadOf(verified.payload) };
  } catch (error) {
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
