import type { ApprovalService } from '../client/client-types.js';
import { ServiceUnavailableError } from '../errors/index.js';

type ClientConstructor = new () => ApprovalService;

/**
 * The service a gate uses when none is given: a `CountersignClient` configured from
 * `COUNTERSIGN_URL` and `COUNTERSIGN_API_KEY`. Loaded on first use, so a gate whose calls are all
 * allowed never needs the service configured.
 */
export async function defaultService(): Promise<ApprovalService> {
  const exports = (await import('../index.js')) as Record<string, unknown>;
  const Client = exports.CountersignClient as ClientConstructor | undefined;
  if (typeof Client !== 'function') {
    throw new ServiceUnavailableError({
      message: 'No approval service: pass `service` to createGate',
    });
  }
  try {
    return new Client();
  } catch (error) {
    throw new ServiceUnavailableError({
      message: `Cannot create the default Countersign client: ${(error as Error)?.message ?? String(error)}`,
      cause: error,
    });
  }
}
