import type { ApprovalService } from '../client/client-types.js';
import { ServiceUnavailableError } from '../errors/index.js';

/**
 * The service a gate uses when none is given: a `CountersignClient` configured from
 * `COUNTERSIGN_URL` and `COUNTERSIGN_API_KEY`. Created on first use, so a gate whose calls are
 * all allowed never needs the service configured; a missing configuration denies (unavailable).
 */
export async function defaultService(): Promise<ApprovalService> {
  const { CountersignClient } = await import('../client/countersign-client.js');
  try {
    return new CountersignClient();
  } catch (error) {
    throw new ServiceUnavailableError({
      message: `Cannot create the default Countersign client: ${error instanceof Error ? error.message : String(error)}`,
      cause: error,
    });
  }
}
