import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from '../shared/logger.js';
import { errorMessage } from '../shared/startup-error.js';

/** Options for {@link serveMcp}. */
export interface ServeMcpOptions {
  /** Serve Streamable HTTP on this address instead of stdio. */
  http?: {
    /** 0 picks a free port. */
    port: number;
    /** Default `127.0.0.1`. */
    host?: string;
  };
  logger: Logger;
}

/** A running MCP endpoint. */
export interface ServingMcp {
  /** The Streamable HTTP endpoint (`http://HOST:PORT/mcp`), when serving HTTP. */
  url?: string;
  /** Resolves when the endpoint stops (stdin closed, or {@link ServingMcp.close}). */
  closed: Promise<void>;
  close(): Promise<void>;
}

/** Serves MCP servers made by `createServer` on stdio (one) or Streamable HTTP (one per session). */
export async function serveMcp(
  createServer: () => Server,
  options: ServeMcpOptions,
): Promise<ServingMcp> {
  if (options.http) return serveHttp(createServer, options.http, options.logger);
  const server = createServer();
  const closed = new Promise<void>((resolve) => {
    const previous = server.onclose;
    server.onclose = () => {
      previous?.();
      resolve();
    };
  });
  await server.connect(new StdioServerTransport());
  // The client closing our stdin is the end of the session; the SDK transport does not notice.
  process.stdin.once('end', () => {
    void server.close();
  });
  return { closed, close: () => server.close() };
}

async function serveHttp(
  createMcpServer: () => Server,
  address: { port: number; host?: string },
  logger: Logger,
): Promise<ServingMcp> {
  const host = address.host ?? '127.0.0.1';
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  let allowedHosts: string[] = [];
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    if (new URL(request.url ?? '/', 'http://localhost').pathname !== '/mcp') {
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      return;
    }
    const sessionId = request.headers['mcp-session-id'];
    const body = request.method === 'POST' ? await readJson(request) : undefined;
    if (body === INVALID_JSON) {
      response.writeHead(400, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          jsonrpc: '2.0',
          error: { code: -32700, message: 'Parse error' },
          id: null,
        }),
      );
      return;
    }
    let transport = typeof sessionId === 'string' ? sessions.get(sessionId) : undefined;
    if (!transport) {
      if (request.method !== 'POST' || !isInitializeRequest(body)) {
        response.writeHead(400, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            jsonrpc: '2.0',
            error: { code: -32000, message: 'No valid session: send initialize first' },
            id: null,
          }),
        );
        return;
      }
      const created = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        enableDnsRebindingProtection: true,
        allowedHosts,
        onsessioninitialized: (id) => {
          sessions.set(id, created);
        },
        onsessionclosed: (id) => {
          sessions.delete(id);
        },
      });
      const server = createMcpServer();
      created.onclose = () => {
        if (created.sessionId) sessions.delete(created.sessionId);
        void server.close();
      };
      await server.connect(created);
      transport = created;
    }
    await transport.handleRequest(request, response, body);
  };
  const httpServer = createServer((request, response) => {
    handle(request, response).catch((error) => {
      logger.warn(`HTTP request failed: ${errorMessage(error)}`);
      if (!response.headersSent) response.writeHead(400).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(address.port, host, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  allowedHosts = [`${host}:${port}`, `localhost:${port}`, `127.0.0.1:${port}`];
  const closed = new Promise<void>((resolve) => httpServer.once('close', () => resolve()));
  return {
    url: `http://${host}:${port}/mcp`,
    closed,
    async close() {
      await Promise.allSettled([...sessions.values()].map((transport) => transport.close()));
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    },
  };
}

const INVALID_JSON = Symbol('invalid JSON');

async function readJson(request: IncomingMessage): Promise<unknown | typeof INVALID_JSON> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > 4 * 1024 * 1024) throw new Error('request body over 4 MiB');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return INVALID_JSON;
  }
}
