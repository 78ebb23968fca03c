import { timingSafeEqual } from 'node:crypto';
import type { Clock } from '../clock.js';
import { fail } from '../service/failures.js';
import type { SessionRecord, Store, StoreTx } from '../store/store-types.js';
import { apiKeyGone } from './api-keys.js';
import { userMayAct } from './oidc/provision-user.js';
import type { Principal } from './principal.js';
import { resolveKey } from './resolve-principal.js';
import { type CookiePolicy, cookiePolicy, readCookie } from './session-cookies.js';
import {
  DEFAULT_SESSION_SETTINGS,
  resumeSession,
  type SessionSettings,
  sessionKeyId,
  sessionProblem,
} from './sessions.js';

/** How reviewers may sign in: API keys, the identity provider, or both. */
export type ReviewerAuth = 'key' | 'oidc' | 'both';

/** What one request presents to prove who sends it. */
export interface Credentials {
  /** The `Authorization` header. */
  authorization?: string | undefined;
  /** The `Cookie` header. */
  cookie?: string | undefined;
  /** The HTTP method: cookie-authenticated unsafe methods need the CSRF checks. */
  method: string;
  /** The `Origin` header. */
  origin?: string | undefined;
  /** The `X-CSRF-Token` header. */
  csrfToken?: string | undefined;
}

/** What {@link Authenticator} needs. */
export interface AuthenticatorOptions {
  store: Store;
  clock: Clock;
  reviewerAuth?: ReviewerAuth;
  sessions?: SessionSettings;
  /** The server's public URL; cookie sessions exist only with it (and OpenID Connect). */
  publicUrl?: string;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function sameToken(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The principal a session acts as: exactly the user's reviewer (or admin) principal. */
export function principalForSession(session: SessionRecord, groups: string[]): Principal {
  return {
    id: `user:${session.userName}`,
    role: session.role,
    name: session.userName,
    groups,
    keyId: sessionKeyId(session.id),
  };
}

/**
 * Resolves the caller of a request: an API key or a `countersign login` token as Bearer, or the
 * dashboard's session cookie. A cookie alone never changes anything without the Origin check and
 * the session's CSRF token, since browsers attach cookies to cross-site requests too.
 */
export class Authenticator {
  readonly reviewerAuth: ReviewerAuth;
  readonly sessions: SessionSettings;
  readonly cookies: CookiePolicy;
  readonly #options: AuthenticatorOptions;
  readonly #origin: string | undefined;

  constructor(options: AuthenticatorOptions) {
    this.#options = options;
    this.reviewerAuth = options.reviewerAuth ?? 'key';
    this.sessions = options.sessions ?? DEFAULT_SESSION_SETTINGS;
    this.cookies = cookiePolicy(options.publicUrl);
    this.#origin = options.publicUrl ? new URL(options.publicUrl).origin : undefined;
  }

  /** The caller's principal; 401 `unauthorized` (403 for a refused CSRF check) otherwise. */
  async principal(credentials: Credentials): Promise<Principal> {
    const header = credentials.authorization;
    if (header) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!match) throw fail('unauthorized', 'Send an API key as "Authorization: Bearer <key>"');
      const token = match[1] as string;
      if (token.startsWith('css_')) return this.#fromSession(token, 'cli');
      return this.#fromKey(token);
    }
    const cookie = this.#origin ? readCookie(credentials.cookie, this.cookies.session) : undefined;
    if (!cookie) throw fail('unauthorized', 'Send an API key as "Authorization: Bearer <key>"');
    const { session, principal } = await this.#sessionPrincipal(cookie, 'browser');
    if (!SAFE_METHODS.has(credentials.method.toUpperCase())) {
      if (credentials.origin !== this.#origin) {
        throw fail(
          'forbidden',
          `A signed-in browser may change things only from ${this.#origin} (Origin was ${credentials.origin ?? 'missing'})`,
        );
      }
      if (!sameToken(session.csrfToken, credentials.csrfToken)) {
        throw fail(
          'forbidden',
          'The X-CSRF-Token header is missing or wrong; read it from GET /auth/session',
        );
      }
    }
    return principal;
  }

  /** The live session of a token with its principal; 401 when it is ended, expired or disabled. */
  async #sessionPrincipal(
    token: string,
    kind: SessionRecord['kind'],
  ): Promise<{ session: SessionRecord; principal: Principal }> {
    const { store, clock } = this.#options;
    const session = await resumeSession(store, token, this.sessions, clock.now());
    if (typeof session === 'string') throw fail('unauthorized', session);
    if (session.kind !== kind) throw fail('unauthorized', 'This session token is for another use');
    const user = await store.read((tx) => userMayAct(tx, session.userName));
    if (!user) throw fail('unauthorized', `The user ${session.userName} is disabled`);
    return { session, principal: principalForSession(session, user.groups) };
  }

  async #fromSession(token: string, kind: SessionRecord['kind']): Promise<Principal> {
    return (await this.#sessionPrincipal(token, kind)).principal;
  }

  async #fromKey(key: string): Promise<Principal> {
    // Checked, not shown: a write it lets through is acknowledged once its own commit is synced,
    // which covers every commit before it, and a key reaches a client only once durable.
    const resolved = await this.#options.store.read((tx) => resolveKey(tx, key), {
      unsynced: true,
    });
    if ('refused' in resolved) {
      throw fail(
        'unauthorized',
        resolved.refused === 'user-disabled'
          ? `The user ${resolved.user} is disabled`
          : 'The API key is unknown or revoked',
      );
    }
    if (resolved.principal.role === 'reviewer' && this.reviewerAuth === 'oidc') {
      throw fail(
        'unauthorized',
        'Reviewer keys are switched off on this server (reviewer-auth oidc); sign in with the identity provider',
      );
    }
    return resolved.principal;
  }

  /** The session behind a browser's cookie, for sign-out and `GET /auth/session`. */
  async browserSession(cookieHeader: string | undefined) {
    const cookie = this.#origin ? readCookie(cookieHeader, this.cookies.session) : undefined;
    if (!cookie) return undefined;
    try {
      return { token: cookie, ...(await this.#sessionPrincipal(cookie, 'browser')) };
    } catch {
      return undefined;
    }
  }
}

/**
 * Whether the key or session behind open waits no longer works, for their periodic re-check: a
 * revoked key, or a session signed out, expired or idle too long.
 */
export async function credentialGone(
  tx: StoreTx,
  keyId: string,
  settings: SessionSettings,
  now: number,
): Promise<boolean> {
  if (keyId.startsWith('session:')) {
    const session = await tx.getSession(keyId.slice('session:'.length));
    return !session || sessionProblem(session, settings, now) !== undefined;
  }
  return apiKeyGone(tx, keyId);
}
