import { InvalidResponseError } from '@countersign/core/protocol';
import type { ApiClient } from './api-client';

/** One notification of a request and how its delivery stands. */
export interface NotificationEntry {
  id: string;
  kind: string;
  channel: string;
  address: string;
  status: string;
  attempts: number;
  createdAt: string;
  lastError?: string;
}

function isEntry(value: unknown): value is NotificationEntry {
  const entry = value as Partial<NotificationEntry> | null;
  return (
    typeof entry?.id === 'string' &&
    typeof entry.kind === 'string' &&
    typeof entry.channel === 'string' &&
    typeof entry.address === 'string' &&
    typeof entry.status === 'string' &&
    typeof entry.createdAt === 'string'
  );
}

/** Who was told of a request, on which channel, and whether it got through. */
export async function fetchNotifications(
  api: ApiClient,
  requestId: string,
): Promise<NotificationEntry[]> {
  const text = await api.send('GET', `/v1/requests/${encodeURIComponent(requestId)}/notifications`);
  let items: unknown;
  try {
    items = (JSON.parse(text) as { items?: unknown }).items;
  } catch (cause) {
    throw new InvalidResponseError({ message: 'The notifications are not valid JSON', cause });
  }
  if (!Array.isArray(items) || !items.every(isEntry)) {
    throw new InvalidResponseError({ message: 'The notifications have an unexpected shape' });
  }
  return items;
}
