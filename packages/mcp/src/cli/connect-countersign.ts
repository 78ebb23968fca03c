import { ApiError, type ApprovalService, CountersignClient } from '@countersign/core';
import { errorMessage, StartupError } from '../shared/startup-error.js';

/**
 * Creates the Countersign client from `COUNTERSIGN_URL` / `COUNTERSIGN_API_KEY` and proves, at
 * start-up, that the server answers and accepts the key. Any problem is a {@link StartupError}.
 */
export async function connectCountersign(): Promise<ApprovalService> {
  let client: CountersignClient;
  try {
    client = new CountersignClient({
      retry: { maxRetries: 2, maxDelayMs: 1_000 },
      requestTimeoutMs: 10_000,
    });
  } catch (error) {
    throw new StartupError(
      'validation_failed',
      `Countersign is not configured: ${errorMessage(error)}`,
      error,
    );
  }
  const where = process.env.COUNTERSIGN_URL;
  try {
    await client.health();
  } catch (error) {
    throw new StartupError(
      'service_unavailable',
      `The Countersign server at ${where} is unreachable: ${errorMessage(error)}`,
      error,
    );
  }
  try {
    await client.list({ limit: 1 });
  } catch (error) {
    // Agents may not be allowed to list (403); only a refused key stops the start.
    if (ApiError.isInstance(error) && (error as ApiError).status === 401) {
      throw new StartupError(
        'unauthorized',
        `The Countersign server at ${where} refused COUNTERSIGN_API_KEY: ${errorMessage(error)}`,
        error,
      );
    }
  }
  return client;
}
