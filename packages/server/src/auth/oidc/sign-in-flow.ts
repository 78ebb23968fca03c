import * as client from 'openid-client';
import { appendAudit } from '../../audit/audit-chain.js';
import { fail } from '../../service/failures.js';
import type { SessionRecord, Store } from '../../store/store-types.js';
import { type SessionSettings, startSession } from '../sessions.js';
import type { IdentityProvider } from './identity-provider.js';
import { provisionUser } from './provision-user.js';
import { identityFromClaims } from './sign-in-identity.js';

/** How long a sign-in may take between the redirect to the provider and the callback. */
export const SIGN_IN_WINDOW_MS = 10 * 60_000;

/** The redirect URI registered at the provider. */
export const callbackUrl = (publicUrl: string) => `${publicUrl}/auth/oidc/callback`;

/** Keeps only dashboard paths (`/`, `/#/requests/x`), so the callback never redirects elsewhere. */
export function safeReturnTo(value: string | undefined): string {
  return value && /^\/(?![/\\])[\x21-\x7e]*$/.test(value) && value.length <= 512 ? value : '/';
}

/**
 * Starts a sign-in: a PKCE verifier, state and nonce kept server-side (single use), and the
 * provider's authorization URL to send the browser to.
 */
export async function beginSignIn(
  store: Store,
  provider: IdentityProvider,
  publicUrl: string,
  returnTo: string,
  now: number,
): Promise<{ url: URL; state: string }> {
  const codeVerifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  await store.transaction((tx) =>
    tx.insertSignInAttempt(
      { state, codeVerifier, nonce, returnTo: safeReturnTo(returnTo), createdAt: now },
      now - SIGN_IN_WINDOW_MS,
    ),
  );
  const url = client.buildAuthorizationUrl(provider.configuration, {
    redirect_uri: callbackUrl(publicUrl),
    scope: provider.scopes,
    response_type: 'code',
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  });
  return { url, state };
}

/** A sign-in the callback refuses; nothing was stored. */
function refused(message: string, details: Record<string, unknown> = {}): never {
  throw fail('unauthorized', message, details);
}

/**
 * Issues a session for validated claims: the allow-lists, just-in-time provisioning and the
 * session row commit together, with an audit entry, or not at all.
 */
export async function sessionForClaims(
  store: Store,
  provider: IdentityProvider,
  claims: Record<string, unknown>,
  kind: SessionRecord['kind'],
  settings: SessionSettings,
  now: number,
): Promise<{ token: string; session: SessionRecord }> {
  const identity = identityFromClaims(provider.options, claims);
  return store.transaction(async (tx) => {
    const user = await provisionUser(tx, identity, new Date(now));
    const started = await startSession(
      tx,
      { name: user.name, role: identity.role, groups: user.groups },
      kind,
      settings,
      now,
    );
    await appendAudit(tx, {
      at: new Date(now).toISOString(),
      type: 'user.signed_in',
      requestId: null,
      actor: `user:${user.name}`,
      data: {
        via: kind === 'cli' ? 'oidc-device' : 'oidc',
        role: identity.role,
        groups: user.groups,
      },
    });
    return started;
  });
}

/**
 * Completes a sign-in from the provider's redirect: the state must be one this browser started
 * and not used yet, and openid-client checks the rest (issuer, PKCE, nonce, the ID token).
 */
export async function completeSignIn(
  store: Store,
  provider: IdentityProvider,
  publicUrl: string,
  search: string,
  browserState: string | undefined,
  settings: SessionSettings,
  now: number,
): Promise<{ token: string; session: SessionRecord; returnTo: string }> {
  const params = new URLSearchParams(search);
  const error = params.get('error');
  if (error) {
    refused(
      `The identity provider refused the sign-in: ${params.get('error_description') ?? error}`,
    );
  }
  const state = params.get('state');
  if (!state) refused('The sign-in answer has no state; start the sign-in again');
  if (browserState !== state) {
    refused('This sign-in was not started in this browser (the state does not match); start again');
  }
  const attempt = await store.transaction((tx) => tx.takeSignInAttempt(state));
  if (!attempt || now - attempt.createdAt > SIGN_IN_WINDOW_MS) {
    refused('This sign-in answer was already used or has expired; start the sign-in again');
  }
  let claims: Record<string, unknown> | undefined;
  try {
    const tokens = await client.authorizationCodeGrant(
      provider.configuration,
      new URL(`${callbackUrl(publicUrl)}?${params}`),
      {
        pkceCodeVerifier: attempt.codeVerifier,
        expectedState: state,
        expectedNonce: attempt.nonce,
      },
    );
    claims = tokens.claims() as Record<string, unknown> | undefined;
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    refused(`The identity provider's answer could not be verified: ${reason}`);
  }
  if (!claims) refused('The identity provider sent no ID token');
  const started = await sessionForClaims(store, provider, claims, 'browser', settings, now);
  return { ...started, returnTo: attempt.returnTo };
}
