import type { Me } from './parse-response';

/** The OpenID Connect sign-in the server offers, if any. */
export interface OidcMethod {
  name: string;
  loginUrl: string;
}

/** What `GET /auth/session` tells the dashboard. */
export interface SignInState {
  /** Whether reviewers may sign in with a key (admin keys always may). */
  keys: boolean;
  oidc: OidcMethod | null;
  /** The session of this browser's cookie, with its CSRF token. */
  session: (Me & { csrfToken: string }) | null;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

/** Reads `GET /auth/session`; a server without it (or unreachable) offers keys only. */
export async function loadSignInState(origin: string): Promise<SignInState> {
  const fallback: SignInState = { keys: true, oidc: null, session: null };
  let body: unknown;
  try {
    const response = await fetch(new URL('/auth/session', origin), {
      cache: 'no-store',
      credentials: 'same-origin',
    });
    if (!response.ok) return fallback;
    body = await response.json();
  } catch {
    return fallback;
  }
  if (!isObject(body) || !isObject(body.methods)) return fallback;
  const { methods, session } = body;
  const oidc = isObject(methods.oidc) ? methods.oidc : null;
  return {
    keys: methods.key !== false,
    oidc:
      oidc && typeof oidc.name === 'string' && typeof oidc.loginUrl === 'string'
        ? { name: oidc.name, loginUrl: oidc.loginUrl }
        : null,
    session:
      isObject(session) &&
      typeof session.principal === 'string' &&
      typeof session.csrfToken === 'string' &&
      typeof session.name === 'string'
        ? {
            principal: session.principal,
            role: session.role === 'admin' ? 'admin' : 'reviewer',
            name: session.name,
            groups: Array.isArray(session.groups)
              ? session.groups.filter((group): group is string => typeof group === 'string')
              : [],
            csrfToken: session.csrfToken,
          }
        : null,
  };
}

/** Ends the cookie session on the server (the cookie alone no longer works afterwards). */
export async function endSession(origin: string, csrfToken: string): Promise<void> {
  try {
    await fetch(new URL('/auth/logout', origin), {
      method: 'POST',
      headers: { 'x-csrf-token': csrfToken },
      credentials: 'same-origin',
    });
  } catch {
    // Unreachable: the session ends at its timeout; the dashboard signs out all the same.
  }
}
