import { ReceiptInvalidError } from '../errors/receipt-invalid-error.js';
import { RECEIPT_ISSUER, RECEIPT_TYPE } from '../protocol/receipt-claims.js';
import type { VerifyReceiptOptions } from './verify-receipt.js';

/** The signature algorithms a receipt may name (both are Ed25519 in JOSE). */
export const RECEIPT_ALGORITHMS: readonly string[] = ['EdDSA', 'Ed25519'];

const REQUIRED_CLAIMS = ['iss', 'sub', 'jti', 'exp', 'iat'] as const;

// An Ed25519 signature is 64 bytes: 86 base64url characters, the last carrying 2 bits (so it is
// one of A, Q, g, w). Only this canonical form, so one signature makes one receipt string.
const SIGNATURE_PATTERN = /^[A-Za-z0-9_-]{85}[AQgw]$/;

/** The three parts of a compact JWS, its signature in canonical Ed25519 form. */
export function receiptParts(receipt: unknown): [string, string, string] {
  const parts = typeof receipt === 'string' ? receipt.split('.') : [];
  if (parts.length !== 3) refuse('malformed', 'a receipt is a compact JWS string');
  const [head, body, signature] = parts as [string, string, string];
  if (!SIGNATURE_PATTERN.test(signature)) {
    refuse('signature', 'its signature is not one Ed25519 signature');
  }
  return [head, body, signature];
}

/** Throws the {@link ReceiptInvalidError} for `reason`. */
export function refuse(
  reason: ReceiptInvalidError['reason'],
  message: string,
  cause?: unknown,
): never {
  throw new ReceiptInvalidError({ reason, message, ...(cause === undefined ? {} : { cause }) });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The checks of the protected header that come before the signature: an object naming an
 * Ed25519 algorithm, with no `crit` extension (a receipt uses none, so none is understood).
 */
export function checkHeader(header: unknown): Record<string, unknown> {
  if (!isObject(header)) refuse('malformed', 'its header is not a JSON object');
  if (typeof header.alg !== 'string' || !RECEIPT_ALGORITHMS.includes(header.alg)) {
    refuse('malformed', 'it is not signed with EdDSA (Ed25519)');
  }
  if (header.crit !== undefined) refuse('malformed', 'it names critical header extensions');
  return header;
}

// As JOSE compares media types: case-insensitive, with or without "application/".
function mediaType(value: string): string {
  const lower = value.toLowerCase();
  return lower.startsWith('application/') ? lower.slice('application/'.length) : lower;
}

function numericDate(claims: Record<string, unknown>, claim: string): number | undefined {
  const value = claims[claim];
  if (value === undefined) return undefined;
  if (typeof value !== 'number') refuse('malformed', `its ${claim} claim is wrong`);
  return value;
}

/**
 * The time to check expiry at, in whole seconds, and the skew allowed. An invalid date or an
 * infinite (or NaN) tolerance would make every comparison false, so no receipt would ever expire:
 * such options are refused, as a caller's mistake.
 */
function expiryClock(options: Pick<VerifyReceiptOptions, 'now' | 'clockToleranceSeconds'>) {
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (!Number.isFinite(now)) throw new TypeError('verifyReceipt: options.now is not a valid date');
  const tolerance = options.clockToleranceSeconds ?? 0;
  if (!Number.isFinite(tolerance) || tolerance < 0) {
    throw new TypeError(
      'verifyReceipt: options.clockToleranceSeconds must be a number of at least 0',
    );
  }
  return { now, tolerance };
}

/**
 * The checks after the signature, as a JWT: the receipt's `typ`, the issuer, the required
 * claims, not before `nbf` and not at or after `exp` (JWT semantics, in whole seconds).
 */
export function checkClaims(
  header: Record<string, unknown>,
  payload: unknown,
  options: Pick<VerifyReceiptOptions, 'now' | 'clockToleranceSeconds'>,
): Record<string, unknown> {
  if (typeof header.typ !== 'string' || mediaType(header.typ) !== mediaType(RECEIPT_TYPE)) {
    refuse('malformed', 'its typ claim is wrong');
  }
  if (!isObject(payload)) refuse('malformed', 'its payload is not a JSON object');
  for (const claim of REQUIRED_CLAIMS) {
    if (!(claim in payload)) refuse('malformed', `its ${claim} claim is wrong`);
  }
  if (payload.iss !== RECEIPT_ISSUER) refuse('malformed', 'its iss claim is wrong');
  const { now, tolerance } = expiryClock(options);
  numericDate(payload, 'iat');
  const nbf = numericDate(payload, 'nbf');
  if (nbf !== undefined && nbf > now + tolerance) refuse('expired', 'it is not valid yet');
  const exp = numericDate(payload, 'exp');
  if (exp !== undefined && exp <= now - tolerance) refuse('expired', 'it has expired');
  return payload;
}
