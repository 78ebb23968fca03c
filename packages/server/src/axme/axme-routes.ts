import { Hono } from 'hono';
import type { AppEnv } from '../http/auth-middleware.js';
import type { LongLivedServices } from '../http/long-lived-plan.js';
import type { RequestLimits } from '../http/request-limits.js';
import { fail } from '../service/failures.js';
import { authenticateAxme } from './axme-auth.js';
import { handleAxmeError } from './axme-errors.js';
import { inboxRoutes } from './routes-inbox.js';
import { intentRoutes } from './routes-intents.js';

/** The path prefixes the AXME routes own (everything else under /v1 stays Countersign's). */
export const AXME_PREFIXES = ['/v1/intents', '/v1/inbox', '/v1/approvals'] as const;

const CAPABILITIES = {
  ok: true,
  capabilities: [
    'intents',
    'intents.events',
    'intents.events.stream',
    'intents.resolve',
    'intents.resume',
    'intents.controls',
    'intents.policy',
    'inbox',
    'inbox.changes',
    'approvals',
    'human_task.approval',
    'human_task.review',
    'human_task.clarification',
    'human_task.provide_data',
    'reminders',
    'escalation',
  ],
  supported_intent_types: ['intent.human_task.v1', 'intent.approval.v1', 'intent.agent_task.v1'],
};

/**
 * The AXME-compatible API (`/health`, `/v1/capabilities`, `/v1/intents…`, `/v1/inbox…`,
 * `/v1/approvals…`) over the same requests, keys and service as /v1. Mount it before /v1 so its
 * `x-api-key` authentication and AXME error bodies apply to these paths only. The same request
 * limits and open-wait cap as /v1 apply.
 */
export function axmeRoutes(
  services: LongLivedServices,
  limits: RequestLimits,
  logError: (error: unknown) => void,
): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.onError((error, c) => handleAxmeError(error, c, logError));
  app.get('/health', (c) => c.json({ ok: true }));
  const { context } = services;
  const authenticate = authenticateAxme(context.store, limits, context.bus);
  app.get('/v1/capabilities', authenticate, (c) => c.json(CAPABILITIES));
  const { inbox, approvals } = inboxRoutes(context);
  // `/v1/intents/*` also matches `/v1/intents` itself.
  for (const prefix of AXME_PREFIXES) app.use(`${prefix}/*`, authenticate);
  app.route('/v1/intents', intentRoutes(services));
  app.route('/v1/inbox', inbox);
  app.route('/v1/approvals', approvals);
  for (const prefix of AXME_PREFIXES) {
    app.all(`${prefix}/*`, (c) => {
      throw fail('not_found', `No route ${c.req.method} ${c.req.path}`);
    });
  }
  return app;
}
