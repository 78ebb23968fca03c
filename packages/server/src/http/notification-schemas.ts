import { z } from 'zod';

// The answers of the notification routes: a request's notifications (its timeline) and the
// admins' view of deliveries by status.

const isoTime = z.iso.datetime({ offset: true });

/** One notification and how its delivery stands. */
export const notificationViewSchema = z.object({
  id: z.string().describe('The notification id'),
  requestId: z.string().describe('The request it is about'),
  kind: z
    .enum(['request', 'reminder', 'escalation', 'outcome'])
    .describe('Why it went out: a new request, a reminder, an escalation, or the outcome'),
  channel: z.string().describe('The channel: email, slack, …'),
  address: z.string().describe('Where it went on that channel'),
  user: z.string().optional().describe('The person it is for, user:NAME'),
  status: z
    .enum(['pending', 'delivered', 'failed', 'disabled'])
    .describe('pending (being tried, with backoff), delivered, or failed (given up)'),
  attempts: z.int().describe('Delivery attempts so far'),
  lastError: z.string().optional().describe('Why the last attempt failed'),
  createdAt: isoTime.describe('When it was planned'),
  nextAttemptAt: isoTime.optional().describe('When it is tried next, while pending'),
});
export type NotificationView = z.infer<typeof notificationViewSchema>;

/** The answer of both notification lists. */
export const notificationListSchema = z.object({
  items: z.array(notificationViewSchema).describe('The notifications'),
});

/** The query of `GET /v1/notifications`. */
export const notificationQuerySchema = z.strictObject({
  status: z
    .enum(['pending', 'delivered', 'failed'])
    .default('failed')
    .describe('Which deliveries: failed (default), pending or delivered'),
  limit: z.coerce.number().int().min(1).max(500).default(100).describe('Page size, newest first'),
});
