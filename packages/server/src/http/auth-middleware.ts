import type { MiddlewareHandler } from 'hono';
import { verifyApiKey } from '../auth/api-keys.js';
import { type Principal, principalFor } from '../auth/principal.js';
import { fail } from '../service/failures.js';
import type { ResolvedInputLimits } from '../service/input-limits.js';
import type { Role, Store } from '../store/store-types.js';

/** The Hono environment of the API routes. */
export interface AppEnv {
  Variables: { principal: Principal; bodyLimit: number; inputLimits: ResolvedInputLimits };
}

/** Resolves the principal of an `Authorization: Bearer <key>` header; 401 otherwise. */
export async function principalFromHeader(store: Store, header: string): Promise<Principal> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw fail('unauthorized', 'Send an API key as "Authorization: Bearer <key>"');
  const record = await store.read((tx) => verifyApiKey(tx, match[1] as string));
  if (!record) throw fail('unauthorized', 'The API key is unknown or revoked');
  return principalFor(record);
}

/** Requires `Authorization: Bearer <key>` and puts the caller's principal on the context. */
export function authenticate(store: Store): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    // Resolved in a helper so the key record is not kept alive while a waiter's request is open.
    c.set('principal', await principalFromHeader(store, c.req.header('authorization') ?? ''));
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
