import type { CryptoKey, JSONWebKeySet, JWK, JWTVerifyGetKey, KeyObject } from 'jose';
import type { ReceiptClaims } from '../protocol/receipt-claims.js';
import { checkClaims, receiptParts, refuse } from './receipt-checks.js';

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
   * jose's `createRemoteJWKSet(new URL('/.well-known/jwks.json', serverUrl))`. A key set object
   * is read once (its keys imported on first use); pass a new object after fetching new keys.
   */
  jwks?: JSONWebKeySet | JWTVerifyGetKey;
  /** One public key instead of `jwks`. */
  key?: ReceiptKey;
  /** The time to check expiry against (default: now); an invalid date is a `TypeError`. */
  now?: Date;
  /** Seconds of clock skew to tolerate on `exp` (default 0): a finite number, at least 0. */
  clockToleranceSeconds?: number;
}

/** A receipt whose signature checked out: its protected header and its decoded payload. */
export interface SignedReceipt {
  header: Record<string, unknown>;
  payload: unknown;
}

/**
 * How a verifier checks the compact JWS (split by `receiptParts`): the header (`checkHeader`)
 * before choosing a key, then the signature; refuses with `ReceiptInvalidError` (`malformed` or
 * `signature`).
 */
export type SignatureCheck = (
  receipt: string,
  parts: [string, string, string],
  options: VerifyReceiptOptions,
) => Promise<SignedReceipt>;

/** How a verifier computes the fingerprint of the call about to run. */
export type FingerprintOf = (toolName: string, args: unknown) => string | Promise<string>;

/** The signature of {@link verifyReceipt}. */
export type VerifyReceipt = (
  receipt: unknown,
  options: VerifyReceiptOptions,
) => Promise<ReceiptClaims>;

/**
 * A `verifyReceipt` on a signature check and a fingerprint: `node:crypto` for both on Node (the
 * root entry, faster), jose's Web Crypto and a Web Crypto hash elsewhere
 * (`@countersign/core/receipts`). Both accept and refuse the same receipts.
 */
export function receiptVerifier(
  fingerprintOf: FingerprintOf,
  checkSignature: SignatureCheck,
): VerifyReceipt {
  return async function verifyReceipt(receipt, options) {
    const parts = receiptParts(receipt);
    const { header, payload } = await checkSignature(receipt as string, parts, options);
    const claims = checkClaims(header, payload, options) as Partial<ReceiptClaims>;
    if (typeof claims.tool !== 'string' || typeof claims.fingerprint !== 'string') {
      refuse('malformed', 'it names no tool or fingerprint');
    }
    if (claims.tool !== options.toolName) {
      refuse('tool', `it approves tool "${claims.tool}", not "${options.toolName}"`);
    }
    const actual = await fingerprintOf(options.toolName, options.args);
    if (claims.fingerprint !== actual) {
      refuse('fingerprint', 'the arguments differ from the ones that were approved');
    }
    return claims as ReceiptClaims;
  };
}
