import { InvalidResponseError, type Stop } from '@countersign/core/protocol';
import type { ApiClient } from './api-client';

/** The emergency stops in force (admins). */
export async function listStops(api: ApiClient): Promise<Stop[]> {
  // Checked by hand: the dashboard bundle leaves zod out.
  const answer = JSON.parse(await api.send('GET', '/v1/stops')) as { items?: unknown };
  const items = Array.isArray(answer.items) ? answer.items : undefined;
  const valid = items?.every(
    (item) =>
      typeof item === 'object' &&
      item !== null &&
      ['scope', 'reason', 'actor', 'at'].every(
        (field) => typeof (item as Record<string, unknown>)[field] === 'string',
      ),
  );
  if (!items || !valid) {
    throw new InvalidResponseError({ message: 'The server sent a malformed list of stops' });
  }
  return items as Stop[];
}

/** Stops every gate of `scope`; resolves with how many pending requests it cancelled. */
export async function stopScope(api: ApiClient, scope: string, reason: string): Promise<number> {
  const answer = JSON.parse(await api.send('POST', '/v1/stops', { scope, reason })) as {
    cancelled?: unknown[];
  };
  return answer.cancelled?.length ?? 0;
}

/** Lifts the stop of `scope`. */
export async function resumeScope(api: ApiClient, scope: string): Promise<void> {
  await api.send('DELETE', `/v1/stops/${encodeURIComponent(scope)}`);
}
