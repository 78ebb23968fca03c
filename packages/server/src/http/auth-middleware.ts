import type { IncomingMessage } from 'node:http';
import { CountersignError } from '@countersign/core/protocol';
import type { Context, MiddlewareHandler } from 'hono';
import { verifyApiKey } from '../auth/api-keys.js';
import { type Principal, principalFor } from '../auth/principal.js';
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
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw fail('unauthorized', 'Send an API key as "Authorization: Bearer <key>"');
  const record = await store.read((tx) => verifyApiKey(tx, match[1] as string));
  if (!record) throw fail('unauthorized', 'The API key is unknown or revoked');
  return principalFor(record);
}

/**
 * Resolves the caller and charges the request to its key's rate budget; a failed authentication
 * is charged to the client address instead (429 once that address fails too often).
 */
export async function authenticateRequest(
  store: Store,
  limits: RequestLimits,
  header: string,
  address: string | undefined,
): Promise<Principal> {
  let principal: Principal;
  try {
    principal = await principalFromHeader(store, header);
  } catch (error) {
    if (CountersignError.isInstance(error) && error.code === 'unauthorized') {
      limits.chargeUnauthenticated(address ?? 'unknown');
    }
    throw error;
  }
  limits.chargeKey(principal);
  return principal;
}

/** The client's address on the Node server; undefined in-process (`app.request`). */
export function clientAddress(c: Context): string | undefined {
  return (c.env as { incoming?: IncomingMessage } | undefined)?.incoming?.socket?.remoteAddress;
}

/** Requires `Authorization: Bearer <key>` and puts the caller's principal on the context. */
export function authenticate(store: Store, limits: RequestLimits): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    // Resolved in a helper so the key record is not kept alive while a waiter's request is open.
    c.set(
      'principal',
      await authenticateRequest(
        store,
        limits,
        c.req.header('authorization') ?? '',
        clientAddress(c),
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
