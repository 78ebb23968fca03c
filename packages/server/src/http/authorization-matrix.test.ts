import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../test-support/harness.js';

type Who = 'anonymous' | 'owner' | 'otherAgent' | 'assigned' | 'unassigned' | 'admin';
const WHO: Who[] = ['anonymous', 'owner', 'otherAgent', 'assigned', 'unassigned', 'admin'];

interface Route {
  method: string;
  path: string;
  body?: unknown;
  /** Expected status per caller, in WHO order. */
  expect: [number, number, number, number, number, number];
}

const ROUTES: Route[] = [
  { method: 'GET', path: '/v1/requests', expect: [401, 200, 200, 200, 200, 200] },
  {
    method: 'POST',
    path: '/v1/requests',
    body: { action: 'new' },
    expect: [401, 201, 201, 201, 201, 201],
  },
  { method: 'GET', path: '/v1/requests/:id', expect: [401, 200, 404, 200, 404, 200] },
  {
    method: 'GET',
    path: '/v1/requests/:id/grant-options',
    expect: [401, 200, 404, 200, 404, 200],
  },
  {
    method: 'GET',
    path: '/v1/requests/:id/wait?timeout=0',
    expect: [401, 200, 404, 200, 404, 200],
  },
  { method: 'GET', path: '/v1/requests/:id/events', expect: [401, 200, 404, 200, 404, 200] },
  {
    method: 'POST',
    path: '/v1/requests/:id/decisions',
    body: { outcome: 'approve' },
    expect: [401, 403, 404, 200, 404, 200],
  },
  {
    method: 'POST',
    path: '/v1/requests/:id/cancel',
    body: {},
    expect: [401, 200, 404, 403, 404, 200],
  },
  {
    method: 'PATCH',
    path: '/v1/requests/:id',
    body: { expectedVersion: 1, deadline: null },
    expect: [401, 200, 404, 403, 404, 200],
  },
  { method: 'GET', path: '/v1/events', expect: [401, 200, 200, 200, 200, 200] },
  { method: 'GET', path: '/v1/me', expect: [401, 200, 200, 200, 200, 200] },
  { method: 'GET', path: '/v1/audit', expect: [401, 403, 403, 403, 403, 200] },
  { method: 'GET', path: '/v1/audit/verify', expect: [401, 403, 403, 403, 403, 200] },
  { method: 'GET', path: '/v1/webhooks', expect: [401, 403, 403, 403, 403, 200] },
  {
    method: 'POST',
    path: '/v1/webhooks',
    body: { url: 'http://127.0.0.1:9/x' },
    expect: [401, 403, 403, 403, 403, 201],
  },
  { method: 'DELETE', path: '/v1/webhooks/wh_missing', expect: [401, 403, 403, 403, 403, 404] },
  { method: 'GET', path: '/v1/keys', expect: [401, 403, 403, 403, 403, 200] },
  {
    method: 'POST',
    path: '/v1/keys',
    body: { role: 'agent', name: 'n' },
    expect: [401, 403, 403, 403, 403, 201],
  },
  { method: 'GET', path: '/api/pause', expect: [401, 200, 200, 200, 200, 200] },
  {
    method: 'POST',
    path: '/api/pause',
    body: { action: 'a' },
    expect: [401, 201, 201, 201, 201, 201],
  },
  { method: 'GET', path: '/api/pause/:id', expect: [401, 200, 404, 200, 404, 200] },
  {
    method: 'POST',
    path: '/api/pause/:id/approve',
    body: { approved: true },
    expect: [401, 403, 404, 200, 404, 200],
  },
  { method: 'GET', path: '/v1/grants', expect: [401, 200, 200, 200, 200, 200] },
  {
    method: 'POST',
    path: '/v1/grants',
    body: { tool: 'deploy', appliesTo: 'any' },
    expect: [401, 403, 403, 403, 403, 201],
  },
  { method: 'GET', path: '/v1/grants/g_missing', expect: [401, 404, 404, 404, 404, 404] },
  {
    method: 'POST',
    path: '/v1/grants/g_missing/revoke',
    body: {},
    expect: [401, 404, 404, 404, 404, 404],
  },
  {
    method: 'POST',
    path: '/v1/requests/:id/execution',
    body: { state: 'executing', attempt: 'a1' },
    // Only the requester or an admin reports; the request is not an approved tool call: 409.
    expect: [401, 409, 404, 403, 404, 409],
  },
  {
    method: 'POST',
    path: '/v1/receipts/rct_x/consume',
    body: { receipt: 'a.b.c' },
    expect: [401, 400, 400, 400, 400, 400],
  },
  { method: 'GET', path: '/.well-known/jwks.json', expect: [200, 200, 200, 200, 200, 200] },
  { method: 'GET', path: '/v1/policies', expect: [401, 403, 403, 403, 403, 200] },
  {
    method: 'POST',
    path: '/v1/policies/matrix/versions',
    body: { text: 'version: 1\n' },
    expect: [401, 403, 403, 403, 403, 201],
  },
  { method: 'GET', path: '/v1/policies/matrix/versions', expect: [401, 403, 403, 403, 403, 200] },
  {
    method: 'POST',
    path: '/v1/policies/matrix/shadow-reports',
    body: { activeVersion: 1, shadowVersion: 1, evaluations: 1, disagreements: 0, samples: [] },
    expect: [401, 204, 204, 403, 403, 204],
  },
  { method: 'GET', path: '/v1/control?policy=matrix', expect: [401, 200, 200, 200, 200, 200] },
  { method: 'GET', path: '/v1/stops', expect: [401, 403, 403, 403, 403, 200] },
  {
    method: 'POST',
    path: '/v1/stops',
    body: { scope: 'policy:matrix', reason: 'drill' },
    expect: [401, 403, 403, 403, 403, 201],
  },
  {
    method: 'DELETE',
    path: '/v1/stops/policy%3Anothing',
    expect: [401, 403, 403, 403, 403, 404],
  },
];

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => {
  await h.close();
});

function keyFor(who: Who): string | undefined {
  return {
    anonymous: undefined,
    owner: h.keys.agent,
    otherAgent: h.keys.agent2,
    assigned: h.keys.alice,
    unassigned: h.keys.carol,
    admin: h.keys.admin,
  }[who];
}

describe('authorization matrix: every role × route', () => {
  for (const route of ROUTES) {
    it(`${route.method} ${route.path}`, async () => {
      const actual: number[] = [];
      for (const who of WHO) {
        const created = await h.call(h.keys.agent, 'POST', '/v1/requests', {
          action: 'matrix',
          assignees: ['user:alice'],
        });
        const path = route.path.replace(':id', created.body.id);
        const headers: Record<string, string> = {
          ...(keyFor(who) ? { authorization: `Bearer ${keyFor(who)}` } : {}),
          ...(route.body === undefined ? {} : { 'content-type': 'application/json' }),
        };
        const response = await h.raw(
          new Request(`http://localhost${path}`, {
            method: route.method,
            headers,
            ...(route.body === undefined ? {} : { body: JSON.stringify(route.body) }),
          }),
        );
        actual.push(response.status);
        await response.body?.cancel();
      }
      expect(Object.fromEntries(WHO.map((who, index) => [who, actual[index]]))).toEqual(
        Object.fromEntries(WHO.map((who, index) => [who, route.expect[index]])),
      );
    });
  }
});
