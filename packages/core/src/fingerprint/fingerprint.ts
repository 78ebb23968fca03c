import { hash } from 'node:crypto';
import { FingerprintMismatchError } from '../errors/errors.js';
import { canonicalJson } from './canonical-json.js';
import { FINGERPRINT_PREFIX } from './fingerprint-prefix.js';

export { FINGERPRINT_PREFIX };

/**
 * The fingerprint of a tool call: `sha256:` + hex SHA-256 of the canonical JSON of
 * `{ "tool": name, "args": args }`. Approvals are bound to it, so a human approves exactly what runs.
 */
export function fingerprint(toolName: string, args: unknown): string {
  const canonical = canonicalJson({ tool: toolName, args: args ?? {} });
  // The one-shot `hash` is several times faster than a createHash stream for short inputs.
  return FINGERPRINT_PREFIX + hash('sha256', canonical, 'hex');
}

/** Throws {@link FingerprintMismatchError} unless `toolName` and `args` have the `expected` fingerprint. */
export function assertFingerprint(expected: string, toolName: string, args: unknown): void {
  const actual = fingerprint(toolName, args);
  if (actual !== expected) throw new FingerprintMismatchError({ expected, actual });
}
