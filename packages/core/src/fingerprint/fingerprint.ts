import { createHash } from 'node:crypto';
import { FingerprintMismatchError } from '../errors/errors.js';
import { canonicalJson } from './canonical-json.js';

/** The prefix of every fingerprint, naming the hash so it can change without ambiguity. */
export const FINGERPRINT_PREFIX = 'sha256:';

/**
 * The fingerprint of a tool call: `sha256:` + hex SHA-256 of the canonical JSON of
 * `{ "tool": name, "args": args }`. Approvals are bound to it, so a human approves exactly what runs.
 */
export function fingerprint(toolName: string, args: unknown): string {
  const canonical = canonicalJson({ tool: toolName, args: args ?? {} });
  return FINGERPRINT_PREFIX + createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/** Throws {@link FingerprintMismatchError} unless `toolName` and `args` have the `expected` fingerprint. */
export function assertFingerprint(expected: string, toolName: string, args: unknown): void {
  const actual = fingerprint(toolName, args);
  if (actual !== expected) throw new FingerprintMismatchError({ expected, actual });
}
