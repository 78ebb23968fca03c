import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a metrics listener serves: a prom-client `Registry` fits. */
export interface MetricsSource {
  /** The metrics in the text exposition format. */
  metrics(): Promise<string>;
  /** Its content type. */
  readonly contentType: string;
}

/** A running metrics listener. */
export interface MetricsListener {
  /** `http://HOST:PORT/metrics` */
  url: string;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

/**
 * Serves `GET /metrics` from `source` on its own port (0 picks one), bound to `host` (keep it on
 * loopback or a private network: it has no authentication); every other path is a 404. Used by
 * the server's `--metrics-port` and the MCP proxy's; no dependency on a metrics library.
 */
export async function listenForMetrics(
  source: MetricsSource,
  port: number,
  host = '127.0.0.1',
): Promise<MetricsListener> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' || path !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Only GET /metrics here\n');
      return;
    }
    source.metrics().then(
      (text) => response.writeHead(200, { 'content-type': source.contentType }).end(text),
      () => response.writeHead(500, { 'content-type': 'text/plain' }).end('Metrics unavailable\n'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
