import { canonicalJson } from './canonical-json.js';
import { FINGERPRINT_PREFIX } from './fingerprint-prefix.js';

const encoder = new TextEncoder();

/**
 * The same fingerprint as `fingerprint()`, computed with Web Crypto instead of `node:crypto`, so
 * code that must run outside Node (a tool server on a Worker, Deno, Bun) can check one.
 */
export async function webFingerprint(toolName: string, args: unknown): Promise<string> {
  const canonical = canonicalJson({ tool: toolName, args: args ?? {} });
  const digest = await globalThis.crypto.subtle.digest('SHA-256', encoder.encode(canonical));
  let hex = '';
  for (const byte of new Uint8Array(digest)) hex += byte.toString(16).padStart(2, '0');
  return FINGERPRINT_PREFIX + hex;
}
