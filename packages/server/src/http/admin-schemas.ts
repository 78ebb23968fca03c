import { REQUEST_EVENT_TYPES } from '@countersign/core/protocol';
import { z } from 'zod';
import { ROLES } from '../auth/api-keys.js';

// The bodies and answers of /v1/keys and /v1/webhooks: the routes validate with these and
// type their answers by them, and /openapi.json is generated from them.

const isoTime = z.iso.datetime({ offset: true });
/** The role of an API key. */
export const roleSchema = z
  .enum(ROLES as ['agent', 'reviewer', 'admin'])
  .describe('agent creates requests; reviewer decides; admin does everything');
const groupsSchema = z
  .array(z.string().min(1).max(128))
  .max(50)
  .describe('Reviewer groups: group:NAME assignees reach them');

/** The body of `POST /v1/keys`. */
export const createKeyBodySchema = z.strictObject({
  role: roleSchema,
  name: z.string().min(1).max(128).describe('The principal name: agent:NAME or user:NAME'),
  groups: groupsSchema.default([]),
});

/** An API key as listed: never the key nor its hash. */
export const apiKeySchema = z.object({
  id: z.string().describe('The key id (the key itself starts with csk_ and this id)'),
  name: z.string().describe('The principal name'),
  role: roleSchema,
  groups: z.array(z.string()).describe('Reviewer groups'),
  createdAt: isoTime.describe('When it was created'),
  revokedAt: isoTime.optional().describe('When it was revoked; absent while it works'),
});
export type ApiKey = z.infer<typeof apiKeySchema>;

/** The answer of `POST /v1/keys`: the only time the key is shown. */
export const createdApiKeySchema = apiKeySchema.extend({
  key: z.string().describe('The API key, shown once: send it as "Authorization: Bearer KEY"'),
});

/** The answer of `GET /v1/keys`. */
export const apiKeyListSchema = z.object({
  items: z.array(apiKeySchema).describe('Every key, revoked ones included'),
});

/** A webhook event type, `request.` and a request event type. */
const webhookEventSchema = z
  .enum(REQUEST_EVENT_TYPES.map((type) => `request.${type}`))
  .describe('A webhook event type, e.g. request.decided');

/** The body of `POST /v1/webhooks`. */
export const createWebhookBodySchema = z.strictObject({
  url: z
    .url({ protocol: /^https?$/ })
    .max(2048)
    .describe('The http(s) URL that receives signed POSTs'),
  events: z
    .array(webhookEventSchema)
    .max(20)
    .default([])
    .describe('The event types to deliver; empty for all'),
});

/** A webhook subscription as listed: the secret is shown once, on create. */
export const webhookSchema = z.object({
  id: z.string().describe('The webhook id'),
  url: z.string().describe('Where deliveries are POSTed'),
  events: z.array(z.string()).describe('The event types delivered; empty for all'),
  enabled: z.boolean().describe('Whether deliveries are made'),
  createdAt: isoTime.describe('When it was created'),
});
export type Webhook = z.infer<typeof webhookSchema>;

/** The answer of `POST /v1/webhooks`, with the signing secret. */
export const createdWebhookSchema = webhookSchema.extend({
  secret: z
    .string()
    .describe('The Standard Webhooks signing secret (whsec_...), shown once: verify with it'),
});

/** The answer of `GET /v1/webhooks`. */
export const webhookListSchema = z.object({
  items: z.array(webhookSchema).describe('Every subscription'),
});

/** The answer of `GET /v1/webhooks/callback-secret`. */
export const callbackSecretSchema = z.object({
  secret: z
    .string()
    .describe('The secret that signs per-request callbackUrl deliveries (whsec_...)'),
});
