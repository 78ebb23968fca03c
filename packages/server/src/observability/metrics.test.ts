import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test/start-test-server.js';
import { Receiver, until } from '../test-support/webhook-receiver.js';

let server: TestServer | undefined;
let receiver: Receiver | undefined;
afterEach(async () => {
  await server?.close();
  await receiver?.down();
  server = receiver = undefined;
});

const TOKEN = 'metrics-token-0123456789';

/** The value of one sample in Prometheus text: `name{a="b",...} value` (0 when absent). */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const braces = /^[^{ ]+(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!braces) continue;
    const found = Object.fromEntries(
      [...(braces[1] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((match) => [match[1], match[2]]),
    );
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) {
      return Number(braces[2]);
    }
  }
  return 0;
}

async function call(key: string, method: string, path: string, body?: unknown, headers = {}) {
  const response = await fetch(`${(server as TestServer).url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

async function scrape(): Promise<string> {
  const url = (server as TestServer).server.metricsUrl as string;
  const response = await fetch(url);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  return response.text();
}

describe('GET /metrics', () => {
  it('moves the counters, gauges and histograms of a scripted scenario', async () => {
    server = await startTestServer({ manualClock: true, metrics: { port: 0, token: TOKEN } });
    receiver = new Receiver();
    await receiver.up();
    const agent = await server.createKey({ role: 'agent', name: 'bot' });
    const alice = await server.createKey({ role: 'reviewer', name: 'alice' });
    await call(server.adminKey, 'POST', '/v1/webhooks', {
      url: `http://127.0.0.1:${receiver.port}/hook`,
      events: ['request.created', 'request.decided'],
    });
    const before = await scrape();
    expect(sample(before, 'countersign_requests_pending')).toBe(0);

    const ids: string[] = [];
    for (const extra of [{}, {}, { timeout: '1m' }, {}]) {
      const created = await call(agent, 'POST', '/v1/requests', { action: 'Pay', ...extra });
      expect(created.status).toBe(201);
      ids.push(created.body.id);
    }
    const [approved, rejected, expiring, cancelled] = ids as [string, string, string, string];
    await server.clock.advance(10_000);
    const waiting = fetch(`${server.url}/v1/requests/${expiring}/wait?timeout=30`, {
      headers: { authorization: `Bearer ${agent}` },
    });
    await server.waitForWaiters(1);
    const middle = await scrape();
    expect(sample(middle, 'countersign_requests_pending')).toBe(4);
    expect(
      sample(middle, 'countersign_requests_oldest_pending_age_seconds'),
    ).toBeGreaterThanOrEqual(10);
    expect(sample(middle, 'countersign_live_waiters', { transport: 'long_poll' })).toBe(1);
    expect(sample(middle, 'countersign_live_waiters', { transport: 'sse' })).toBe(0);

    const dashboard = { 'x-countersign-channel': 'dashboard' };
    const decide = (id: string, body: object, headers = {}) =>
      call(alice, 'POST', `/v1/requests/${id}/decisions`, body, headers);
    expect((await decide(approved, { outcome: 'approve' }, dashboard)).status).toBe(200);
    // A made-up channel name is counted as plain API use: the label stays bounded.
    const spoofed = { 'x-countersign-channel': 'anything-at-all' };
    expect((await decide(rejected, { outcome: 'reject', reason: 'no' }, spoofed)).status).toBe(200);
    expect((await call(agent, 'POST', `/v1/requests/${cancelled}/cancel`, {})).status).toBe(200);
    await server.clock.advance(60_000);
    expect(((await (await waiting).json()) as { status: string }).status).toBe('expired');
    await until(async () => receiver?.received.length === 6, 'six webhook deliveries');
    await until(
      async () =>
        sample(await scrape(), 'countersign_deliveries_total', { result: 'delivered' }) === 6,
      'the deliveries to be counted',
    );

    const after = await scrape();
    const created = { kind: 'approval', rule: 'none', requester: 'agent:bot' };
    expect(sample(after, 'countersign_requests_created_total', created)).toBe(4);
    expect(
      sample(after, 'countersign_requests_decided_total', {
        outcome: 'approve',
        channel: 'dashboard',
      }),
    ).toBe(1);
    expect(
      sample(after, 'countersign_requests_decided_total', { outcome: 'reject', channel: 'api' }),
    ).toBe(1);
    expect(sample(after, 'countersign_requests_expired_total', { kind: 'approval' })).toBe(1);
    expect(sample(after, 'countersign_requests_cancelled_total', { kind: 'approval' })).toBe(1);
    // Both decisions came 10 s after their create on the manual clock; the expiry 70 s after.
    const approvedCount = { status: 'approved' };
    expect(sample(after, 'countersign_request_decision_seconds_count', approvedCount)).toBe(1);
    expect(sample(after, 'countersign_request_decision_seconds_sum', approvedCount)).toBe(10);
    expect(
      sample(after, 'countersign_request_decision_seconds_bucket', { status: 'approved', le: '5' }),
    ).toBe(0);
    expect(
      sample(after, 'countersign_request_decision_seconds_bucket', {
        status: 'approved',
        le: '15',
      }),
    ).toBe(1);
    expect(sample(after, 'countersign_request_decision_seconds_sum', { status: 'expired' })).toBe(
      70,
    );
    expect(sample(after, 'countersign_requests_pending')).toBe(0);
    expect(sample(after, 'countersign_requests_oldest_pending_age_seconds')).toBe(0);
    expect(sample(after, 'countersign_live_waiters', { transport: 'long_poll' })).toBe(0);
    expect(sample(after, 'countersign_outbox_backlog')).toBe(0);
    expect(
      sample(after, 'countersign_deliveries_total', { channel: 'webhook', result: 'delivered' }),
    ).toBe(6);
    expect(sample(after, 'countersign_delivery_lag_seconds_count', { channel: 'webhook' })).toBe(6);
    expect(sample(after, 'countersign_scheduler_lag_seconds_count', { job: 'deadline' })).toBe(1);
    const creates = { method: 'POST', route: '/v1/requests', status: '201' };
    expect(sample(after, 'countersign_http_request_duration_seconds_count', creates)).toBe(4);
    const decisions = { method: 'POST', route: '/v1/requests/:id/decisions', status: '200' };
    expect(sample(after, 'countersign_http_request_duration_seconds_count', decisions)).toBe(2);
    const list = await call(alice, 'GET', '/v1/requests?status=pending');
    expect(list.status).toBe(200);
    const listed = { method: 'GET', route: '/v1/requests', status: '200' };
    expect(sample(await scrape(), 'countersign_http_request_duration_seconds_count', listed)).toBe(
      1,
    );
    const waits = { method: 'GET', route: '/v1/requests/:id/wait', status: '200' };
    expect(sample(after, 'countersign_http_request_duration_seconds_count', waits)).toBe(1);
    // No request id or free text in any label.
    for (const id of ids) expect(after).not.toContain(id);
    expect(sample(after, 'countersign_process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('counts an approval by a standing grant under channel grant', async () => {
    server = await startTestServer({ metrics: { port: 0 } });
    const agent = await server.createKey({ role: 'agent', name: 'bot' });
    const alice = await server.createKey({ role: 'reviewer', name: 'alice', groups: ['ops'] });
    const payment = {
      action: 'Pay a vendor',
      tool: { name: 'pay_vendor', args: { amount: 120, to: 'acme' } },
      assignees: ['group:ops'],
      policy: {
        rule: 'payments',
        rules: [{ name: 'payments', action: 'require' }],
        default: { action: 'require' },
      },
    };
    const first = await call(agent, 'POST', '/v1/requests', payment);
    const decided = await call(alice, 'POST', `/v1/requests/${first.body.id}/decisions`, {
      outcome: 'approve',
      grant: {},
    });
    expect(decided.status).toBe(200);
    const second = await call(agent, 'POST', '/v1/requests', payment);
    expect(second.body.status).toBe('approved');
    const text = await scrape();
    const by = (channel: string) =>
      sample(text, 'countersign_requests_decided_total', { outcome: 'approve', channel });
    expect(by('api')).toBe(1);
    expect(by('grant')).toBe(1);
    const rule = { kind: 'approval', rule: 'payments', requester: 'agent:bot' };
    expect(sample(text, 'countersign_requests_created_total', rule)).toBe(2);
  });

  it('on the API port, answers only the metrics token', async () => {
    server = await startTestServer({ metrics: { token: TOKEN } });
    const reviewer = await server.createKey({ role: 'reviewer', name: 'alice' });
    expect(server.server.metricsUrl).toBeUndefined();
    const get = (headers: Record<string, string>) => fetch(`${server?.url}/metrics`, { headers });
    const anonymous = await get({});
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe(
      'unauthorized',
    );
    expect((await get({ authorization: 'Bearer wrong-token-wrong-token' })).status).toBe(401);
    expect((await get({ authorization: `Bearer ${server.adminKey}` })).status).toBe(401);
    expect((await get({ authorization: `Bearer ${reviewer}` })).status).toBe(401);
    const allowed = await get({ authorization: `Bearer ${TOKEN}` });
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toContain('# TYPE countersign_requests_created_total counter');
  });

  it('counts the emergency stops in force by scope kind, so an alert sees one', async () => {
    server = await startTestServer({ metrics: { port: 0 } });
    expect(sample(await scrape(), 'countersign_emergency_stops_active', { scope: 'all' })).toBe(0);
    expect(
      (await call(server.adminKey, 'POST', '/v1/stops', { scope: 'agent:bot', reason: 'loop' }))
        .status,
    ).toBe(201);
    expect((await call(server.adminKey, 'POST', '/v1/stops', { scope: 'all' })).status).toBe(201);
    let text = await scrape();
    expect(sample(text, 'countersign_emergency_stops_active', { scope: 'all' })).toBe(1);
    expect(sample(text, 'countersign_emergency_stops_active', { scope: 'agent' })).toBe(1);
    expect(sample(text, 'countersign_emergency_stops_active', { scope: 'policy' })).toBe(0);
    expect((await call(server.adminKey, 'DELETE', '/v1/stops/all')).status).toBe(204);
    text = await scrape();
    expect(sample(text, 'countersign_emergency_stops_active', { scope: 'all' })).toBe(0);
    expect(sample(text, 'countersign_emergency_stops_active', { scope: 'agent' })).toBe(1);
  });

  it('is off by default', async () => {
    server = await startTestServer();
    expect(server.server.metrics).toBeUndefined();
    const response = await fetch(`${server.url}/metrics`);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('countersign_requests_created_total');
    // Every answer names its request id: the client's when it sent a plain one.
    const health = await fetch(`${server.url}/health`, { headers: { 'x-request-id': 'abc-123' } });
    expect(health.headers.get('x-request-id')).toBe('abc-123');
    const other = await fetch(`${server.url}/health`, {
      headers: { 'x-request-id': 'no spaces!' },
    });
    expect(other.headers.get('x-request-id')).toMatch(/^req_http_/);
  });
});
