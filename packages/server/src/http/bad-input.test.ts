import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../test-support/harness.js';

let h: Harness;
let requestId: string;
let intentId: string;
beforeAll(async () => {
  // Slack on, so the interactions route checks signatures (its signed inputs: slack-fuzz.test.ts).
  h = await createHarness({
    slack: {
      botToken: 'xoxb-fuzz-token-0001',
      signingSecret: 'fuzzsigningsecret0001',
      apiUrl: 'http://127.0.0.1:9/api/',
    },
  });
  intentId = (
    await h.call(
      undefined,
      'POST',
      '/v1/intents',
      {
        intent_type: 'intent.fuzz.v1',
        to_agent: 'agent:bot',
        payload: {},
        human_task: { title: 'fuzz', assignees: ['alice'] },
      },
      { 'x-api-key': h.keys.agent },
    )
  ).body.intent_id;
  await h.call(h.keys.admin, 'POST', '/v1/policies/payments/versions', {
    text: 'version: 1\ndefault: allow\n',
  });
  requestId = (
    await h.call(h.keys.agent, 'POST', '/v1/requests', {
      action: 'fuzz',
      tool: { name: 't', args: {}, schema: { type: 'object' } },
    })
  ).body.id;
});
afterAll(async () => {
  await h.close();
});

describe('bad input', () => {
  it('answers wrong content type 415, malformed JSON 400, huge bodies 413, unknown fields 400, unknown routes 404', async () => {
    const cases: [RequestInit & { path?: string }, number, string][] = [
      [
        { method: 'POST', body: '{"action":"x"}', headers: { 'content-type': 'text/plain' } },
        415,
        'unsupported_media_type',
      ],
      [
        { method: 'POST', body: '{"action":', headers: { 'content-type': 'application/json' } },
        400,
        'invalid_json',
      ],
      [
        {
          method: 'POST',
          body: JSON.stringify({ action: 'x'.repeat(2_000_000) }),
          headers: { 'content-type': 'application/json' },
        },
        413,
        'payload_too_large',
      ],
      [
        {
          method: 'POST',
          body: '{"action":"x","surprise":1}',
          headers: { 'content-type': 'application/json' },
        },
        400,
        'validation_failed',
      ],
      [
        { method: 'POST', body: '[]', headers: { 'content-type': 'application/json' } },
        400,
        'validation_failed',
      ],
      [{ method: 'GET', path: '/v1/nothing-here' }, 404, 'not_found'],
      [{ method: 'GET', path: '/v1/requests?limit=0' }, 400, 'validation_failed'],
      [
        { method: 'GET', path: '/v1/requests?status=pending&status=approved' },
        400,
        'validation_failed',
      ],
      [{ method: 'GET', path: '/v1/requests?unknown=1' }, 400, 'validation_failed'],
    ];
    for (const [init, status, code] of cases) {
      const { path = '/v1/requests', ...rest } = init;
      const headers = {
        authorization: `Bearer ${h.keys.agent}`,
        ...(rest.headers as Record<string, string>),
      };
      const response = await h.raw(new Request(`http://localhost${path}`, { ...rest, headers }));
      const body = (await response.json()) as {
        error: { code: string; message: string; details: object };
      };
      expect([response.status, body.error.code]).toEqual([status, code]);
      expect(typeof body.error.message).toBe('string');
      expect(typeof body.error.details).toBe('object');
    }
  });

  it('never answers 5xx for any client input (property-based, every route)', async () => {
    const templates = [
      '/v1/requests',
      '/v1/requests/:id',
      '/v1/requests/:id/decisions',
      '/v1/requests/:id/cancel',
      '/v1/requests/:id/grant-options',
      '/v1/requests/:id/wait',
      '/v1/requests/:id/events',
      '/v1/events',
      '/v1/me',
      '/v1/audit',
      '/v1/audit/verify',
      '/v1/webhooks',
      '/v1/webhooks/:id',
      '/v1/keys',
      '/v1/keys/:id',
      '/v1/grants',
      '/v1/grants/:id',
      '/v1/grants/:id/revoke',
      '/v1/users',
      '/v1/users/:id',
      '/v1/users/:id/disable',
      '/v1/requests/:id/notifications',
      '/v1/notifications',
      '/d/:id',
      '/api/pause',
      '/api/pause/:id',
      '/api/pause/:id/approve',
      '/healthz',
      '/openapi.json',
      '/metrics',
      '/:id',
      '/health',
      '/v1/capabilities',
      '/v1/intents',
      '/v1/intents/:id',
      '/v1/intents/:id/events',
      '/v1/intents/:id/events/stream',
      '/v1/intents/:id/resolve',
      '/v1/intents/:id/resume',
      '/v1/intents/:id/controls',
      '/v1/intents/:id/policy',
      '/v1/inbox',
      '/v1/inbox/changes',
      '/v1/inbox/:id',
      '/v1/inbox/:id/approve',
      '/v1/inbox/:id/reject',
      '/v1/inbox/:id/reply',
      '/v1/inbox/:id/delegate',
      '/v1/inbox/:id/read',
      '/v1/inbox/:id/messages/delete',
      '/v1/approvals/:id/decision',
      '/auth/session',
      '/auth/oidc/login',
      '/auth/oidc/callback',
      '/auth/logout',
      '/auth/cli/token',
      '/integrations/slack/interactions',
      '/v1/requests/:id/execution',
      '/v1/receipts/:id/consume',
      '/.well-known/jwks.json',
      '/v1/policies',
      '/v1/policies/:id/versions',
      '/v1/policies/:id/versions/:id',
      '/v1/policies/:id/rollback',
      '/v1/policies/:id/shadow',
      '/v1/policies/:id/shadow-reports',
      '/v1/control',
      '/v1/control/stream',
      '/v1/stops',
      '/v1/stops/:id',
    ];
    const segment = fc.oneof(
      fc.constant(requestId),
      fc.constant(intentId),
      fc.uuid(),
      fc.string({ maxLength: 20 }),
      fc.constantFrom('%', '..', '%00', 'req_x', 'payments', 'agent:bot', 'all'),
    );
    const query = fc.dictionary(
      fc.constantFrom(
        'status',
        'kind',
        'limit',
        'cursor',
        'timeout',
        'format',
        'from',
        'to',
        'offset',
        'requestId',
        'since',
        'wait_seconds',
        'after',
        'active',
        'owner_agent',
        'policy',
        'x',
      ),
      fc.oneof(
        fc.string({ maxLength: 12 }),
        fc.integer().map(String),
        fc.constantFrom('0.01', '-1', 'csv', 'pending', '1e9'),
      ),
      { maxKeys: 3 },
    );
    const body = fc.oneof(
      fc.constant(undefined),
      fc.string({ maxLength: 50 }),
      fc.json({ maxDepth: 3 }),
      fc
        .record(
          {
            action: fc.oneof(fc.string(), fc.integer()),
            outcome: fc.constantFrom('approve', 'reject', 'edit', 'respond', 'x'),
            reason: fc.oneof(fc.string(), fc.constant(undefined)),
            args: fc.oneof(fc.object(), fc.constant(null)),
            response: fc.jsonValue(),
            expectedVersion: fc.oneof(fc.integer(), fc.double()),
            kind: fc.constantFrom('approval', 'form', 'review', 'clarification', 'nope'),
            timeout: fc.constantFrom('1h', '0s', 'soon', '2y'),
            approved: fc.boolean(),
            url: fc.oneof(fc.webUrl(), fc.string()),
            role: fc.constantFrom('agent', 'reviewer', 'admin', 'god'),
            name: fc.string({ maxLength: 10 }),
            email: fc.oneof(fc.emailAddress(), fc.string({ maxLength: 10 })),
            slackUserId: fc.constantFrom('U0123ABC', 'x', 'W9'),
            groups: fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }),
            active: fc.boolean(),
            notifications: fc.oneof(fc.object(), fc.constant({ channels: ['email'] })),
            intent_type: fc.constantFrom('intent.a.v1', 'bad', ''),
            to_agent: fc.oneof(fc.string({ maxLength: 8 }), fc.constant('agent:bot')),
            payload: fc.oneof(fc.object(), fc.string()),
            deadline_at: fc.oneof(
              fc.date().map((date) => (Number.isNaN(date.getTime()) ? 'x' : date.toISOString())),
              fc.string(),
            ),
            remind_after_seconds: fc.oneof(fc.integer(), fc.double()),
            escalate_to: fc.string({ maxLength: 10 }),
            human_task: fc.record(
              {
                title: fc.oneof(fc.string({ maxLength: 10 }), fc.integer()),
                task_type: fc.constantFrom('approval', 'provide_data', 'attach_file', 'nope'),
                form_schema: fc.oneof(fc.object(), fc.constant({ type: 'nonsense' })),
                assignees: fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }),
              },
              { requiredKeys: [] },
            ),
            status: fc.constantFrom('COMPLETED', 'FAILED', 'CANCELED', 'x'),
            result: fc.oneof(fc.object(), fc.constant(null)),
            decision: fc.constantFrom('approve', 'reject', 'x'),
            comment: fc.oneof(fc.string({ maxLength: 10 }), fc.constant(null)),
            message: fc.string({ maxLength: 20 }),
            mode: fc.constantFrom('self', 'both', 'x'),
            delegate_to: fc.string({ maxLength: 10 }),
            controls_patch: fc.oneof(fc.object(), fc.constant({ remind_after_seconds: 5 })),
            grants_patch: fc.oneof(fc.object(), fc.constant({ assignees: ['bob'] })),
            expected_policy_generation: fc.oneof(fc.integer(), fc.constant(null)),
            idToken: fc.oneof(fc.string({ maxLength: 40 }), fc.constant('a.b.c'), fc.integer()),
            state: fc.constantFrom('executing', 'succeeded', 'failed', 'x'),
            attempt: fc.oneof(fc.string({ maxLength: 10 }), fc.integer()),
            error: fc.oneof(fc.string({ maxLength: 20 }), fc.constant(null)),
            receipt: fc.oneof(
              fc.string({ maxLength: 30 }),
              fc.constant('eyJhbGciOiJFZERTQSJ9.e30.AAAA'),
              fc.constant('a.b.c'),
            ),
            text: fc.constantFrom('version: 1\n', 'version: 2', 'rules: [', '{}'),
            file: fc.string({ maxLength: 10 }),
            version: fc.oneof(fc.integer(), fc.constant('1')),
            scope: fc.constantFrom('all', 'agent:bot', 'policy:payments', 'policy:Bad', 'x'),
            activeVersion: fc.integer(),
            shadowVersion: fc.integer(),
            evaluations: fc.integer(),
            disagreements: fc.integer(),
            samples: fc.array(fc.object(), { maxLength: 2 }),
          },
          { requiredKeys: [] },
        )
        .map((value) => JSON.stringify(value)),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PATCH', 'DELETE', 'PUT'),
        fc.constantFrom(...templates),
        segment,
        query,
        body,
        fc.constantFrom('application/json', 'text/plain', '', 'application/json; charset=utf-8'),
        fc.constantFrom('agent', 'admin', 'alice', 'none', 'garbage') as fc.Arbitrary<string>,
        fc.option(fc.string({ maxLength: 30 }), { nil: undefined }),
        async (method, template, id, params, payload, contentType, who, extraHeader) => {
          const search = new URLSearchParams(params).toString();
          const path =
            template.replace(':id', encodeURIComponent(id)) + (search ? `?${search}` : '');
          const key =
            who === 'none'
              ? undefined
              : who === 'garbage'
                ? 'csk_0000000000000000_x'
                : h.keys[who as 'agent'];
          const headers: Record<string, string> = {};
          if (key) headers.authorization = `Bearer ${key}`;
          if (key && id.length % 2 === 0) headers['x-api-key'] = key;
          // A session cookie (never a valid one here) with the CSRF headers, for the cookie path.
          if (id.length % 3 === 0 && /^[\x21-\x3a\x3c-\x7e]*$/.test(id)) {
            headers.cookie = `countersign-session=css_${id}; countersign-sign-in=${id}`;
            headers.origin = 'http://localhost';
            headers['x-csrf-token'] = id;
          }
          if (contentType) headers['content-type'] = contentType;
          if (extraHeader !== undefined && /^[\x20-\x7e]*$/.test(extraHeader)) {
            headers['idempotency-key'] = extraHeader;
            headers['last-event-id'] = extraHeader;
          }
          const text =
            typeof payload === 'string'
              ? payload
              : payload === undefined
                ? undefined
                : JSON.stringify(payload);
          const withBody = text !== undefined && method !== 'GET';
          const response = await h.raw(
            new Request(`http://localhost${path}`, {
              method,
              headers,
              ...(withBody ? { body: text } : {}),
              signal: AbortSignal.timeout(300),
            }),
          );
          await response.body?.cancel();
          expect(response.status, `${method} ${path}`).toBeLessThan(500);
        },
      ),
      { numRuns: 400 },
    );
  });
});
