import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the stand-in answers to one request. */
export interface StandInReply {
  status: number;
  contentType?: string;
  body: string;
}

/** A small node:http server on loopback that answers whatever the test tells it to. */
export interface StandIn {
  url: string;
  /** Method and path of every request received, in order. */
  seen: string[];
  close(): Promise<void>;
}

export async function startStandIn(
  reply: (request: IncomingMessage) => StandInReply,
): Promise<StandIn> {
  const seen: string[] = [];
  const server = createServer((request, response) => {
    seen.push(`${request.method} ${request.url?.split('?')[0]}`);
    request.resume();
    request.on('end', () => {
      const { status, contentType = 'application/json', body } = reply(request);
      response.writeHead(status, { 'content-type': contentType });
      response.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
