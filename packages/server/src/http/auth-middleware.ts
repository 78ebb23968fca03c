import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { CountersignError } from '@countersign/core/protocol';
import type { Context, MiddlewareHandler } from 'hono';
import { Authenticator, type Credentials } from '../auth/authenticator.js';
import type { Principal } from '../auth/principal.js';
import { systemClock } from '../clock.js';
import type { EventBus } from '../service/event-bus.js';
import { fail } from '../service/failures.js';
import type { ResolvedInputLimits } from '../service/input-limits.js';
import type { Role, Store } from '../store/store-types.js';
import type { RequestLimits } from './request-limits.js';

/** The Hono environment of the API routes. */
export interface AppEnv {
  Variables: {
    principal: Principal;
    bodyLimit: number;
    inputLimits: ResolvedInputLimits;
    /** The id of this HTTP request (the client's `x-request-id` or a new one), for logs. */
    requestId: string;
    /** The `traceparent` of this request's server span (or the client's, without an SDK). */
    traceparent?: string;
  };
}

/** Resolves the principal of an `Authorization: Bearer <key>` header; 401 otherwise. */
export async function principalFromHeader(store: Store, header: string): Promise<Principal> {
  return new Authenticator({ store, clock: systemClock }).principal({
    authorization: header,
    method: 'GET',
  });
}

/** The credentials of a request: its Bearer header or session cookie, and the CSRF headers. */
export function credentialsOf(headers: IncomingHttpHeaders | Headers, method: string): Credentials {
  const get = (name: string): string | undefined => {
    if (headers instanceof Headers) return headers.get(name) ?? undefined;
    const value = headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  };
  return {
    authorization: get('authorization'),
    cookie: get('cookie'),
    origin: get('origin'),
    csrfToken: get('x-csrf-token'),
    method,
  };
}

/**
 * Resolves the caller and charges the request to its key's rate budget; a failed authentication
 * is charged to the client address instead (429 once that address fails too often). With `bus`,
 * a disable of the caller's user that this process still holds is dropped: the database has just
 * found the user active again (re-enabled elsewhere).
 */
export async function authenticateRequest(
  authenticator: Authenticator,
  limits: RequestLimits,
  credentials: Credentials,
  address: string | undefined,
  bus?: EventBus,
): Promise<Principal> {
  let principal: Principal;
  try {
    principal = await authenticator.principal(credentials);
  } catch (error) {
    if (CountersignError.isInstance(error) && error.code === 'unauthorized') {
      limits.chargeUnauthenticated(address ?? 'unknown');
    }
    throw error;
  }
  limits.chargeKey(principal);
  if (bus && principal.role !== 'agent') bus.enableUser(principal.name);
  return principal;
}

/** The client's address on the Node server; undefined in-process (`app.request`). */
export function clientAddress(c: Context): string | undefined {
  return (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket?.remoteAddress;
}

/**
 * Requires `Authorization: Bearer <key or login token>` or the dashboard's session cookie (with
 * the CSRF checks for changes) and puts the caller's principal on the context.
 */
export function authenticate(
  authenticator: Authenticator,
  limits: RequestLimits,
  bus?: EventBus,
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    // Resolved in a helper so the key record is not kept alive while a waiter's request is open.
    c.set(
      'principal',
      await authenticateRequest(
        authenticator,
        limits,
        credentialsOf(c.req.raw.headers, c.req.method),
        clientAddress(c),
        bus,
      ),
    );
    await next();
  };
}

/** Only lets the given roles through (403 otherwise). */
export function requireRole(...roles: Role[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = c.get('principal');
    if (!roles.includes(principal.role)) {
      throw fail('forbidden', `This needs the ${roles.join(' or ')} role`);
    }
    await next();
  };
}
