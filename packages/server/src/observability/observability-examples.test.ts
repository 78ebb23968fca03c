import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startTestServer, type TestServer } from '../test/start-test-server.js';

const examples = new URL('../../../../examples/observability/', import.meta.url);
let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Every `countersign_*` metric name in a text, histogram suffixes stripped. */
function metricNames(text: string): Set<string> {
  return new Set(
    [...text.matchAll(/\bcountersign_[a-z0-9_]+/g)].map((match) =>
      match[0].replace(/_(bucket|count|sum)$/, ''),
    ),
  );
}

describe('examples/observability', () => {
  it('names only metrics the server exports, in rules Prometheus can load', async () => {
    server = await startTestServer({ metrics: { port: 0 } });
    const scraped = await (await fetch(server.server.metricsUrl as string)).text();
    const exported = new Set(
      [...scraped.matchAll(/^# TYPE (\S+) /gm)].map((match) => match[1] as string),
    );
    const rules = parse(await readFile(new URL('prometheus-alerts.yml', examples), 'utf8')) as {
      groups: { rules: { alert: string; expr: string; annotations: { summary: string } }[] }[];
    };
    const alerts = rules.groups.flatMap((group) => group.rules);
    expect(alerts.length).toBeGreaterThanOrEqual(8);
    for (const alert of alerts) expect(alert.annotations.summary, alert.alert).toMatch(/\w{3,}/);
    const dashboard = await readFile(new URL('grafana-dashboard.json', examples), 'utf8');
    const panels = (JSON.parse(dashboard) as { panels: unknown[] }).panels;
    expect(panels.length).toBeGreaterThanOrEqual(10);
    const used = new Set([
      ...alerts.flatMap((alert) => [...metricNames(alert.expr)]),
      ...metricNames(dashboard),
    ]);
    expect(used.size).toBeGreaterThanOrEqual(12);
    for (const name of used) expect(exported, `${name} is not exported`).toContain(name);
  });
});
