import { createRemoteJWKSet, errors, jwtVerify } from 'jose';
import { fail } from '../../service/failures.js';
import type { IdentityProvider } from './identity-provider.js';

const keySets = new WeakMap<IdentityProvider, ReturnType<typeof createRemoteJWKSet>>();

/**
 * Checks an ID token that `countersign login` got from the provider through the device grant:
 * signed by a key of the provider's JWKS, issued by our issuer, for our CLI (or dashboard) client,
 * and not expired. Anything else is a 401 naming what failed.
 */
export async function verifyCliIdToken(
  provider: IdentityProvider,
  idToken: string,
  now: number,
): Promise<Record<string, unknown>> {
  let keys = keySets.get(provider);
  if (!keys) {
    keys = createRemoteJWKSet(new URL(provider.jwksUri));
    keySets.set(provider, keys);
  }
  try {
    const { payload } = await jwtVerify(idToken, keys, {
      issuer: provider.issuer,
      audience: [...new Set([provider.cliClientId, provider.clientId])],
      currentDate: new Date(now),
      clockTolerance: 30,
      requiredClaims: ['sub', 'iat', 'exp'],
    });
    return payload as Record<string, unknown>;
  } catch (cause) {
    const reason =
      cause instanceof errors.JWTExpired
        ? 'it has expired'
        : cause instanceof errors.JWTClaimValidationFailed
          ? `its ${cause.claim} claim is wrong`
          : cause instanceof errors.JWSSignatureVerificationFailed
            ? 'its signature does not verify'
            : cause instanceof Error
              ? cause.message
              : String(cause);
    throw fail('unauthorized', `The ID token was refused: ${reason}`);
  }
}
