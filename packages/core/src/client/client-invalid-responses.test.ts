import { afterEach, describe, expect, it } from 'vitest';
import {
  ApiError,
  CountersignError,
  InvalidResponseError,
  ServiceUnavailableError,
} from '../errors/index.js';
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

async function failureOf(
  handler: ScriptedHandler,
  call: (client: CountersignClient) => Promise<unknown> = (client) => client.get('req_1'),
) {
  server = await startScriptedServer(handler);
  const client = new CountersignClient({
    baseUrl: server.url,
    retry: { maxRetries: 1, initialDelayMs: 1, maxDelayMs: 1 },
  });
  return call(client).then(
    () => expect.unreachable('the call should have failed'),
    (error: unknown) => error,
  );
}

function raw(status: number, contentType: string, body: string): ScriptedHandler {
  return (_request, response) => {
    response.writeHead(status, { 'content-type': contentType });
    response.end(body);
  };
}

describe('CountersignClient never trusts what does not parse', () => {
  it('refuses garbage JSON', async () => {
    const error = await failureOf(raw(200, 'application/json', '{"id": "req_1", '));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(server?.requests).toHaveLength(1);
  });

  it('refuses a body of the wrong shape', async () => {
    const error = await failureOf((_request, response) =>
      sendJson(response, 200, { ...sampleRequest(), status: 'maybe' }),
    );
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as Error).cause).toBeDefined();
  });

  it('refuses a 200 HTML page', async () => {
    const error = await failureOf(raw(200, 'text/html', '<html>Sign in to the proxy</html>'));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as InvalidResponseError).details).toMatchObject({ contentType: 'text/html' });
  });

  it('refuses an HTML 404 page instead of guessing an error code', async () => {
    const error = await failureOf(raw(404, 'text/html', '<h1>Not Found</h1>'));
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as InvalidResponseError).details).toMatchObject({ status: 404 });
  });

  it('refuses an error body with an unknown code', async () => {
    const error = await failureOf((_request, response) =>
      sendJson(response, 400, { error: { code: 'teapot', message: 'no', details: {} } }),
    );
    expect(error).toBeInstanceOf(InvalidResponseError);
  });

  it('turns an HTML 502 from a proxy into ServiceUnavailableError', async () => {
    const error = await failureOf(raw(502, 'text/html', '<h1>Bad Gateway</h1>'));
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(server?.requests).toHaveLength(2);
  });

  it('turns an API error body into ApiError with its code, status and details', async () => {
    const error = await failureOf((_request, response) =>
      sendJson(response, 400, {
        error: {
          code: 'validation_failed',
          message: 'action is required',
          details: { path: 'action' },
        },
      }),
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      code: 'validation_failed',
      status: 400,
      message: 'action is required',
      details: { path: 'action' },
    });
    expect(CountersignError.isInstance(error)).toBe(true);
  });

  it('refuses an answer about another request', async () => {
    const error = await failureOf((_request, response) =>
      sendJson(response, 200, sampleRequest({ id: 'req_2' })),
    );
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as Error).message).toMatch(/req_1.*req_2/);
  });

  it('refuses a list whose items are not requests', async () => {
    const error = await failureOf(
      (_request, response) => sendJson(response, 200, { items: [{ id: 'x' }], nextCursor: null }),
      (client) => client.list(),
    );
    expect(error).toBeInstanceOf(InvalidResponseError);
  });

  it('refuses a body larger than 16 MiB instead of buffering it', async () => {
    const error = await failureOf(
      raw(200, 'application/json', `"${'x'.repeat(17 * 1024 * 1024)}"`),
    );
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as Error).message).toMatch(/larger than/);
  });

  it('fails health on a 503', async () => {
    const error = await failureOf(raw(503, 'text/plain', 'draining'), (client) => client.health());
    expect(error).toBeInstanceOf(ServiceUnavailableError);
  });
});
