import { type DecidedRequest, standingArgs } from '../protocol/approvals.js';
import { fingerprint } from './fingerprint.js';

/**
 * The fingerprint of a request's standing arguments (see `standingArgs`); undefined for a request
 * not about a tool call. Here rather than in `/protocol` because it hashes with `node:crypto`.
 */
export function standingFingerprint(request: DecidedRequest): string | undefined {
  return request.tool ? fingerprint(request.tool.name, standingArgs(request)) : undefined;
}
