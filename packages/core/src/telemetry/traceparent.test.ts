import { context, ROOT_CONTEXT, TraceFlags, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CountersignClient } from '../client/index.js';
import { sendJson, startScriptedServer } from '../test-support/scripted-http-server.js';
import { contextFromTraceparent, isTraceparent, traceparentOf } from './traceparent.js';

const VALID = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('traceparent', () => {
  it('reads back the span context a header stands for', () => {
    const parent = contextFromTraceparent(VALID) as typeof ROOT_CONTEXT;
    expect(trace.getSpanContext(parent)).toEqual({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
    });
    expect(traceparentOf(parent)).toBe(VALID);
    const unsampled = VALID.replace(/01$/, '00');
    expect(traceparentOf(contextFromTraceparent(unsampled))).toBe(unsampled);
  });

  it('refuses malformed values instead of failing the call', () => {
    for (const bad of [
      undefined,
      42,
      '',
      VALID.toUpperCase(),
      VALID.replace(/^00/, '01'),
      '00-00000000000000000000000000000000-00f067aa0ba902b7-01',
      '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01',
      `${VALID}-extra`,
    ]) {
      expect(isTraceparent(bad)).toBe(false);
      expect(contextFromTraceparent(bad)).toBeUndefined();
    }
    expect(traceparentOf(ROOT_CONTEXT)).toBeUndefined();
  });
});

describe('the client', () => {
  const manager = new AsyncLocalStorageContextManager();
  beforeAll(() => context.setGlobalContextManager(manager.enable()));
  afterAll(() => context.disable());

  it('sends the active span as traceparent, and nothing without one', async () => {
    const server = await startScriptedServer((_request, response) =>
      sendJson(response, 200, { ok: true }),
    );
    try {
      const client = new CountersignClient({ baseUrl: server.url, apiKey: 'csk_a_b' });
      await context.with(contextFromTraceparent(VALID) as typeof ROOT_CONTEXT, () =>
        client.health(),
      );
      await client.health();
      expect(server.requests.map((request) => request.headers.traceparent)).toEqual([
        VALID,
        undefined,
      ]);
    } finally {
      await server.close();
    }
  });
});
