import { randomBytes } from 'node:crypto';

/** A random identifier with a readable prefix, e.g. `req_3k9f…`. */
export function newId(prefix: string, bytes = 12): string {
  return `${prefix}_${randomBytes(bytes).toString('base64url')}`;
}
