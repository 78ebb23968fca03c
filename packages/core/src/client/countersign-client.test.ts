import { afterEach, describe, expect, it } from 'vitest';
import {
  type ScriptedHandler,
  type ScriptedServer,
  sampleRequest,
  sendJson,
  startScriptedServer,
} from '../test-support/scripted-http-server.js';
import { CountersignClient } from './countersign-client.js';

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function clientFor(handler: ScriptedHandler): Promise<[CountersignClient, ScriptedServer]> {
  server = await startScriptedServer(handler);
  return [new CountersignClient({ baseUrl: server.url, apiKey: 'cs_test_key' }), server];
}

describe('CountersignClient happy paths', () => {
  it('creates with an Idempotency-Key, the API key and a JSON body', async () => {
    const [client, scripted] = await clientFor((_request, response) =>
      sendJson(response, 201, sampleRequest()),
    );
    const created = await client.create(
      { action: 'Deploy v2', tool: { name: 'deploy', args: { env: 'prod' } } },
      { idempotencyKey: 'run-1:call-1' },
    );
    expect(created).toEqual(sampleRequest());
    const [sent] = scripted.requests;
    expect(sent).toMatchObject({ method: 'POST', url: '/v1/requests' });
    expect(sent?.headers).toMatchObject({
      authorization: 'Bearer cs_test_key',
      'idempotency-key': 'run-1:call-1',
      'content-type': 'application/json',
      accept: 'application/json',
    });
    expect(sent?.headers['user-agent']).toMatch(/^countersign-core\//);
    expect(JSON.parse(sent?.body ?? '')).toEqual({
      action: 'Deploy v2',
      tool: { name: 'deploy', args: { env: 'prod' } },
    });
  });

  it('sends no Idempotency-Key when none is given', async () => {
    const [client, scripted] = await clientFor((_request, response) =>
      sendJson(response, 201, sampleRequest()),
    );
    await client.create({ action: 'Deploy v2' });
    expect(scripted.requests[0]?.headers['idempotency-key']).toBeUndefined();
  });

  it('gets, escaping the id, and lists with filters and a cursor', async () => {
    const [client, scripted] = await clientFor((request, response) => {
      if (request.url.startsWith('/v1/requests?')) {
        sendJson(response, 200, { items: [sampleRequest()], nextCursor: 'c2' });
      } else sendJson(response, 200, sampleRequest({ id: 'a/b' }));
    });
    expect((await client.get('a/b')).id).toBe('a/b');
    const page = await client.list({
      status: 'pending',
      assignee: 'user:alice',
      cursor: 'c1',
      limit: 5,
    });
    expect(page).toEqual({ items: [sampleRequest()], nextCursor: 'c2' });
    expect(scripted.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      'GET /v1/requests/a%2Fb',
      'GET /v1/requests?status=pending&assignee=user%3Aalice&cursor=c1&limit=5',
    ]);
  });

  it('decides, cancels and updates', async () => {
    const [client, scripted] = await clientFor((request, response) => {
      const status = request.url.endsWith('/decisions')
        ? 'approved'
        : request.url.endsWith('/cancel')
          ? 'cancelled'
          : 'pending';
      sendJson(response, 200, sampleRequest({ status, version: 2 }));
    });
    expect((await client.decide('req_1', { outcome: 'approve', comment: 'ok' })).status).toBe(
      'approved',
    );
    expect((await client.cancel('req_1', { reason: 'changed my mind' })).status).toBe('cancelled');
    const updated = await client.update('req_1', { expectedVersion: 1, timeout: '2h' });
    expect(updated.version).toBe(2);
    expect(scripted.requests.map((request) => [request.method, request.url, request.body])).toEqual(
      [
        ['POST', '/v1/requests/req_1/decisions', '{"outcome":"approve","comment":"ok"}'],
        ['POST', '/v1/requests/req_1/cancel', '{"reason":"changed my mind"}'],
        ['PATCH', '/v1/requests/req_1', '{"expectedVersion":1,"timeout":"2h"}'],
      ],
    );
  });

  it('checks health, whatever the body', async () => {
    const [client, scripted] = await clientFor((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end('ok');
    });
    const report = await client.health();
    expect(report.ok).toBe(true);
    expect(report.latencyMs).toBeGreaterThanOrEqual(0);
    expect(scripted.requests[0]?.url).toBe('/healthz');
  });

  it('keeps a base path', async () => {
    server = await startScriptedServer((_request, response) =>
      sendJson(response, 200, sampleRequest()),
    );
    const client = new CountersignClient({ baseUrl: `${server.url}/countersign`, apiKey: '' });
    await client.get('req_1');
    expect(server.requests[0]?.url).toBe('/countersign/v1/requests/req_1');
    expect(server.requests[0]?.headers.authorization).toBeUndefined();
  });
});
