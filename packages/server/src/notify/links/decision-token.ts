import { createHmac, timingSafeEqual } from 'node:crypto';

/** What a signed decision link stands for. */
export interface DecisionTokenClaims {
  /** Single-use id (the notification's id). */
  nonce: string;
  /** The directory user the link acts as. */
  user: string;
  requestId: string;
  /** The request version it was issued for. */
  version: number;
  /** The fingerprint it was issued for; absent for a request without a tool call. */
  fingerprint?: string;
  /** Milliseconds since the epoch after which the link is refused. */
  expiresAt: number;
}

/** Why a token is refused before the request is even read. */
export type TokenProblem = 'malformed' | 'forged' | 'expired';

const sign = (secret: Buffer, payload: string) =>
  createHmac('sha256', secret).update(payload, 'utf8').digest();

/** `payload.signature`, both base64url: HMAC-SHA256 over the payload with the server's key. */
export function signDecisionToken(secret: Buffer, claims: DecisionTokenClaims): string {
  const payload = Buffer.from(
    JSON.stringify({
      n: claims.nonce,
      u: claims.user,
      r: claims.requestId,
      v: claims.version,
      ...(claims.fingerprint === undefined ? {} : { f: claims.fingerprint }),
      e: claims.expiresAt,
    }),
    'utf8',
  ).toString('base64url');
  return `${payload}.${sign(secret, payload).toString('base64url')}`;
}

const TOKEN = /^([A-Za-z0-9_-]{10,2000})\.([A-Za-z0-9_-]{43})$/;

/** The claims of a token signed with `secret` and not expired at `now`, or why not. */
export function verifyDecisionToken(
  secret: Buffer,
  token: string,
  now: number,
): { claims: DecisionTokenClaims } | { problem: TokenProblem } {
  const match = TOKEN.exec(token);
  if (!match) return { problem: 'malformed' };
  const [, payload, signature] = match as unknown as [string, string, string];
  const expected = sign(secret, payload);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { problem: 'forged' };
  }
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return { problem: 'malformed' };
  }
  const { n, u, r, v, f, e } = raw;
  if (
    typeof n !== 'string' ||
    typeof u !== 'string' ||
    typeof r !== 'string' ||
    typeof v !== 'number' ||
    typeof e !== 'number' ||
    (f !== undefined && typeof f !== 'string')
  ) {
    return { problem: 'malformed' };
  }
  if (now >= e) return { problem: 'expired' };
  return {
    claims: {
      nonce: n,
      user: u,
      requestId: r,
      version: v,
      ...(typeof f === 'string' ? { fingerprint: f } : {}),
      expiresAt: e,
    },
  };
}
