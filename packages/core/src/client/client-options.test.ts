import { Agent, type Dispatcher } from 'undici';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CountersignError } from '../errors/index.js';
import {
  sampleRequest,
  sendJson,
  startScriptedServer,
} from '../test-support/scripted-http-server.js';
import { CountersignClient } from './countersign-client.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

function constructionError(options: ConstructorParameters<typeof CountersignClient>[0]): unknown {
  try {
    new CountersignClient(options);
  } catch (error) {
    return error;
  }
  return expect.unreachable('construction should have failed');
}

describe('CountersignClient configuration', () => {
  it('reads COUNTERSIGN_URL and COUNTERSIGN_API_KEY', async () => {
    const server = await startScriptedServer((_request, response) =>
      sendJson(response, 200, sampleRequest()),
    );
    try {
      vi.stubEnv('COUNTERSIGN_URL', server.url);
      vi.stubEnv('COUNTERSIGN_API_KEY', 'cs_from_env');
      const client = new CountersignClient();
      expect(client.baseUrl).toBe(`${server.url}/`);
      await client.get('req_1');
      expect(server.requests[0]?.headers.authorization).toBe('Bearer cs_from_env');
    } finally {
      await server.close();
    }
  });

  it('prefers explicit options over the environment', () => {
    vi.stubEnv('COUNTERSIGN_URL', 'http://127.0.0.1:1');
    expect(new CountersignClient({ baseUrl: 'http://127.0.0.1:2' }).baseUrl).toBe(
      'http://127.0.0.1:2/',
    );
  });

  it('throws at construction without a base URL, naming the variable', () => {
    vi.stubEnv('COUNTERSIGN_URL', '');
    const error = constructionError({});
    expect(CountersignError.hasCode(error, 'validation_failed')).toBe(true);
    expect((error as Error).message).toMatch(/COUNTERSIGN_URL/);
  });

  it('throws at construction on a malformed base URL', () => {
    for (const baseUrl of [
      'not a url',
      'ftp://127.0.0.1',
      'http://127.0.0.1/?a=1',
      'http://u:p@127.0.0.1',
    ]) {
      const error = constructionError({ baseUrl });
      expect(CountersignError.hasCode(error, 'validation_failed')).toBe(true);
      expect((error as Error).message).toContain(baseUrl);
    }
  });

  it('throws at construction on out-of-range numbers', () => {
    expect(constructionError({ baseUrl: 'http://127.0.0.1', requestTimeoutMs: 0 })).toBeInstanceOf(
      CountersignError,
    );
    expect(
      constructionError({ baseUrl: 'http://127.0.0.1', retry: { maxRetries: -1 } }),
    ).toBeInstanceOf(CountersignError);
  });

  it('sends a custom User-Agent', async () => {
    const server = await startScriptedServer((_request, response) =>
      sendJson(response, 200, sampleRequest()),
    );
    try {
      await new CountersignClient({ baseUrl: server.url, userAgent: 'my-agent/1' }).get('req_1');
      expect(server.requests[0]?.headers['user-agent']).toBe('my-agent/1');
    } finally {
      await server.close();
    }
  });

  it('sends through the dispatcher it is given', async () => {
    const server = await startScriptedServer((_request, response) =>
      sendJson(response, 200, sampleRequest()),
    );
    const dispatched: string[] = [];
    class CountingAgent extends Agent {
      override dispatch(options: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler) {
        dispatched.push(`${options.method} ${options.path}`);
        return super.dispatch(options, handler);
      }
    }
    const dispatcher = new CountingAgent({ keepAliveTimeout: 1_000 });
    try {
      const client = new CountersignClient({ baseUrl: server.url, dispatcher });
      await client.get('req_1');
      await client.get('req_1');
      expect(dispatched).toEqual(['GET /v1/requests/req_1', 'GET /v1/requests/req_1']);
    } finally {
      await dispatcher.close();
      await server.close();
    }
  });
});
