import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let loaded: typeof import('undici') | undefined;

/**
 * The undici package, loaded at the first delivery: a server without webhooks or callbacks never
 * pays for its code (several MiB of a process that may be holding thousands of idle waiters).
 */
export function undici(): typeof import('undici') {
  loaded ??= require('undici') as typeof import('undici');
  return loaded;
}
