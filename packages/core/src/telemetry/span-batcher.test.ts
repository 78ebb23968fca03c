import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ScriptedServer,
  sendJson,
  startScriptedServer,
} from '../test-support/scripted-http-server.js';
import { resourceText } from './otlp-json.js';
import { SpanBatcher } from './span-batcher.js';
import { startTracing } from './start-tracing.js';

interface Body {
  resourceSpans: { scopeSpans: { scope: { name: string }; spans: { name: string }[] }[] }[];
}

let collector: ScriptedServer;
beforeAll(async () => {
  // The second request to /retry/ fails with 503 once: the SDK's transport sends it again.
  let retried = false;
  collector = await startScriptedServer((request, response) => {
    if (request.url?.startsWith('/retry/') && !retried) {
      retried = true;
      return sendJson(response, 503, {});
    }
    sendJson(response, 200, {});
  });
});
afterAll(() => collector.close());

function bodies(path: string): Body[] {
  return collector.requests
    .filter((request) => request.url === path)
    .map((request) => JSON.parse(request.body) as Body);
}

const names = (body: Body) =>
  body.resourceSpans.flatMap((resource) =>
    resource.scopeSpans.flatMap((scope) => scope.spans.map((span) => span.name)),
  );

const span = (name: string) => `{"name":${JSON.stringify(name)}}`;

describe('SpanBatcher', () => {
  it('sends a full batch at once and the rest on flush, grouped by scope', async () => {
    const batcher = new SpanBatcher({
      url: `${collector.url}/batches/v1/traces`,
      resource: resourceText({ 'service.name': 'batches' }),
      maxExportBatchSize: 2,
      scheduledDelayMillis: 60_000,
    });
    const first = batcher.scopeKey({ name: 'first' });
    const second = batcher.scopeKey({ name: 'second', version: '2' });
    batcher.add(first, span('a'));
    batcher.add(second, span('b'));
    batcher.add(first, span('c'));
    await batcher.forceFlush();
    const sent = bodies('/batches/v1/traces');
    expect(sent.map(names)).toEqual([['a', 'b'], ['c']]);
    expect(sent[0]?.resourceSpans[0]?.scopeSpans.map((scope) => scope.scope)).toEqual([
      { name: 'first' },
      { name: 'second', version: '2' },
    ]);
    await batcher.shutdown();
    batcher.add(first, span('after shutdown'));
    await batcher.forceFlush();
    expect(bodies('/batches/v1/traces').flatMap(names)).not.toContain('after shutdown');
  });

  it('drops spans beyond the queue instead of holding them without bound', async () => {
    const batcher = new SpanBatcher({
      url: `${collector.url}/queue/v1/traces`,
      resource: resourceText({}),
      maxQueueSize: 3,
      maxExportBatchSize: 10,
    });
    const scope = batcher.scopeKey({ name: 'queue' });
    // A span under a scope the batcher was never told of is dropped, not counted.
    batcher.add('unknown@:', span('no scope'));
    for (const name of ['1', '2', '3', '4', '5']) batcher.add(scope, span(name));
    await batcher.shutdown();
    expect(bodies('/queue/v1/traces').flatMap(names)).toEqual(['1', '2', '3']);
  });

  it('sends a batch again when the collector answers 503', async () => {
    const batcher = new SpanBatcher({ url: `${collector.url}/retry/v1/traces`, resource: '{}' });
    batcher.add(batcher.scopeKey({ name: 'retry' }), span('kept'));
    await batcher.shutdown();
    const sent = collector.requests.filter((request) => request.url === '/retry/v1/traces');
    expect(sent).toHaveLength(2);
    expect(sent[1]?.body).toBe(sent[0]?.body);
  });

  it('refuses a URL the exporter cannot use, so a start that asked for traces fails', async () => {
    expect(() => new SpanBatcher({ url: 'not a url', resource: '{}' })).toThrow();
    await expect(
      startTracing('bad-url', { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'not a url' }),
    ).rejects.toThrow();
  });
});
