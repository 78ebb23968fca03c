import { z } from 'zod';
import { roleSchema } from './admin-schemas.js';

// The answers of /healthz, /readyz and /v1/me: the routes type their answers by these, and
// /openapi.json is generated from them.

/** The answer of `GET /healthz`. */
export const healthSchema = z.object({
  status: z.literal('ok').describe('The process is up'),
});
export type Health = z.infer<typeof healthSchema>;

/** The answer of `GET /readyz` when the database answers. */
export const readinessSchema = z.object({
  status: z.literal('ready').describe('The database answers: the server can take traffic'),
});
export type Readiness = z.infer<typeof readinessSchema>;

/** The answer of `GET /v1/me`. */
export const identitySchema = z.object({
  principal: z.string().describe('Who the key stands for: "agent:NAME" or "user:NAME"'),
  role: roleSchema,
  name: z.string().describe('The name the key was created with'),
  groups: z.array(z.string()).describe('Reviewer groups: group:NAME assignees reach them'),
});
export type Identity = z.infer<typeof identitySchema>;
