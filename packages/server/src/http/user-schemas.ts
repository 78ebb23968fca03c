import { z } from 'zod';
import { CHANNEL_NAME, EMAIL, PERSON_NAME, SLACK_USER_ID } from '../people/user-validation.js';

// The bodies and answers of /v1/users: the routes validate with these, /openapi.json shows them.

const isoTime = z.iso.datetime({ offset: true });
const nameSchema = z.string().regex(PERSON_NAME).describe('NAME of user:NAME');
const displayNameSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^\r\n]*$/)
  .describe('The name shown to people, e.g. "Alice Martin"');
const emailSchema = z.string().max(254).regex(EMAIL).describe('Where email notifications go');
const slackSchema = z
  .string()
  .regex(SLACK_USER_ID)
  .describe('The Slack member id (U… or W…): direct messages, and who clicked a Slack button');
const groupsSchema = z
  .array(z.string().regex(PERSON_NAME))
  .max(50)
  .describe('Groups: group:NAME assignees reach the active members');
const activeSchema = z
  .boolean()
  .describe('False once disabled: their keys and sessions stop working, nothing notifies them');

/** A person's notification settings (one JSON document, open to more settings later). */
export const notificationSettingsSchema = z
  .strictObject({
    channels: z
      .array(z.string().regex(CHANNEL_NAME))
      .max(10)
      .optional()
      .describe('The channels that may notify them (email, slack); absent for every channel'),
  })
  .describe('Notification settings');

/** A user of the directory. */
export const userSchema = z.object({
  name: nameSchema,
  displayName: z.string().optional().describe('The name shown to people'),
  email: z.string().optional().describe('Where email notifications go'),
  slackUserId: z.string().optional().describe('The Slack member id'),
  groups: z.array(z.string()).describe('Groups the user is in'),
  active: activeSchema,
  notifications: notificationSettingsSchema,
  createdAt: isoTime.describe('When the user was added'),
  updatedAt: isoTime.describe('When the user last changed'),
});

/** The body of `POST /v1/users`. */
export const createUserBodySchema = z.strictObject({
  name: nameSchema,
  displayName: displayNameSchema.optional(),
  email: emailSchema.optional(),
  slackUserId: slackSchema.optional(),
  groups: groupsSchema.default([]),
  active: activeSchema.default(true),
  notifications: notificationSettingsSchema.default({}),
});

/** The body of `PATCH /v1/users/{name}`: fields left out stay, `null` clears one. */
export const updateUserBodySchema = z.strictObject({
  displayName: displayNameSchema.nullable().optional().describe('The name shown; null clears it'),
  email: emailSchema.nullable().optional().describe('Where email goes; null clears it'),
  slackUserId: slackSchema.nullable().optional().describe('The Slack member id; null clears it'),
  groups: groupsSchema.optional(),
  active: activeSchema.optional(),
  notifications: notificationSettingsSchema.optional(),
});

/** The query of `GET /v1/users`. */
export const userListQuerySchema = z.strictObject({
  after: z.string().max(128).optional().describe('The nextAfter of the previous page'),
  active: z
    .enum(['true', 'false'])
    .transform((value) => value === 'true')
    .optional()
    .describe('Only active (true) or disabled (false) users'),
  limit: z.coerce.number().int().min(1).max(500).default(100).describe('Page size'),
});

/** The answer of `GET /v1/users`. */
export const userListSchema = z.object({
  items: z.array(userSchema).describe('Users by name'),
  nextAfter: z
    .string()
    .nullable()
    .describe('Pass as `after` for the next page; null on the last page'),
});
