import { Hono } from 'hono';
import { appendAudit } from '../audit/audit-chain.js';
import type { Authenticator } from '../auth/authenticator.js';
import { verifyCliIdToken } from '../auth/oidc/cli-token.js';
import type { IdentityProvider } from '../auth/oidc/identity-provider.js';
import {
  beginSignIn,
  completeSignIn,
  SIGN_IN_WINDOW_MS,
  sessionForClaims,
} from '../auth/oidc/sign-in-flow.js';
import { cookieHeader, readCookie } from '../auth/session-cookies.js';
import { fail } from '../service/failures.js';
import type { ServiceContext } from '../service/service-context.js';
import {
  type AppEnv,
  authenticateRequest,
  clientAddress,
  credentialsOf,
} from './auth-middleware.js';
import type { AuthSession, CliToken } from './auth-schemas.js';
import { cliTokenBodySchema } from './auth-schemas.js';
import { readJson } from './read-input.js';
import { refusalPage } from './refusal-page.js';
import type { RequestLimits } from './request-limits.js';

/** What the sign-in routes work with. */
export interface AuthRouteServices {
  context: ServiceContext;
  authenticator: Authenticator;
  limits: RequestLimits;
  /** The discovered provider; absent when OpenID Connect is off. */
  provider?: IdentityProvider;
  publicUrl?: string;
}

const OIDC_OFF = 'OpenID Connect sign-in is not configured on this server (see --oidc-issuer)';

/**
 * Reviewer sign-in: `GET /auth/session`, the OpenID Connect redirect pair
 * (`/auth/oidc/login`, `/auth/oidc/callback`), `POST /auth/logout` and `POST /auth/cli/token`.
 */
export function authRoutes(services: AuthRouteServices): Hono<AppEnv> {
  const { context, authenticator, limits, provider, publicUrl } = services;
  const { store, clock } = context;
  const cookies = authenticator.cookies;
  const app = new Hono<AppEnv>();
  const oidc = () => {
    if (!provider || !publicUrl) throw fail('not_found', OIDC_OFF);
    return { provider, publicUrl };
  };

  app.get('/auth/session', async (c) => {
    const current = await authenticator.browserSession(c.req.header('cookie'));
    const body: AuthSession = {
      methods: {
        key: authenticator.reviewerAuth !== 'oidc',
        oidc: provider
          ? {
              name: provider.name,
              loginUrl: '/auth/oidc/login',
              issuer: provider.issuer,
              cliClientId: provider.cliClientId,
              scopes: provider.scopes,
              deviceAuthorization: provider.deviceAuthorization,
            }
          : null,
      },
      session: current
        ? {
            principal: current.principal.id,
            role: current.principal.role,
            name: current.principal.name,
            groups: current.principal.groups,
            expiresAt: new Date(current.session.expiresAt).toISOString(),
            csrfToken: current.session.csrfToken,
          }
        : null,
    };
    c.header('cache-control', 'no-store');
    return c.json(body);
  });

  app.get('/auth/oidc/login', async (c) => {
    const { provider, publicUrl } = oidc();
    // Each start stores a row before anyone is known: budgeted like failed authentications.
    limits.chargeUnauthenticated(clientAddress(c) ?? 'unknown');
    const now = clock.now();
    const { url, state } = await beginSignIn(
      store,
      provider,
      publicUrl,
      c.req.query('returnTo') ?? '/',
      now,
    );
    c.header('set-cookie', cookieHeader(cookies, cookies.signIn, state, SIGN_IN_WINDOW_MS / 1000));
    c.header('cache-control', 'no-store');
    return c.redirect(url.href, 302);
  });

  app.get('/auth/oidc/callback', async (c) => {
    const { provider, publicUrl } = oidc();
    const search = new URL(c.req.url).search.slice(1);
    const clearSignIn = cookieHeader(cookies, cookies.signIn, '', 0);
    try {
      const { token, session, returnTo } = await completeSignIn(
        store,
        provider,
        publicUrl,
        search,
        readCookie(c.req.header('cookie'), cookies.signIn),
        authenticator.sessions,
        clock.now(),
      );
      c.header('set-cookie', clearSignIn, { append: true });
      const maxAge = (session.expiresAt - session.createdAt) / 1000;
      c.header('set-cookie', cookieHeader(cookies, cookies.session, token, maxAge), {
        append: true,
      });
      c.header('cache-control', 'no-store');
      return c.redirect(returnTo, 303);
    } catch (error) {
      limits.chargeUnauthenticated(clientAddress(c) ?? 'unknown');
      c.header('set-cookie', clearSignIn);
      return refusalPage(c, error);
    }
  });

  app.post('/auth/logout', async (c) => {
    const principal = await authenticateRequest(
      authenticator,
      limits,
      credentialsOf(c.req.raw.headers, c.req.method),
      clientAddress(c),
    );
    if (!principal.keyId.startsWith('session:')) {
      throw fail(
        'validation_failed',
        'Only a signed-in session can sign out; API keys are revoked',
      );
    }
    const now = clock.now();
    await store.transaction(async (tx) => {
      await tx.endSession(principal.keyId.slice('session:'.length), now);
      await appendAudit(tx, {
        at: new Date(now).toISOString(),
        type: 'user.signed_out',
        requestId: null,
        actor: principal.id,
        data: {},
      });
    });
    // Open streams and long-polls of the session end now, not at the next re-check.
    context.bus.revokeKey(principal.keyId);
    c.header('set-cookie', cookieHeader(cookies, cookies.session, '', 0));
    return c.body(null, 204);
  });

  app.post('/auth/cli/token', async (c) => {
    const { provider } = oidc();
    const { idToken } = await readJson(c, cliTokenBodySchema);
    const now = clock.now();
    try {
      const claims = await verifyCliIdToken(provider, idToken, now);
      const { token, session } = await sessionForClaims(
        store,
        provider,
        claims,
        'cli',
        authenticator.sessions,
        now,
      );
      const body: CliToken = {
        token,
        principal: `user:${session.userName}`,
        role: session.role,
        name: session.userName,
        groups: session.groups,
        expiresAt: new Date(session.expiresAt).toISOString(),
      };
      return c.json(body, 201);
    } catch (error) {
      limits.chargeUnauthenticated(clientAddress(c) ?? 'unknown');
      throw error;
    }
  });
  return app;
}
