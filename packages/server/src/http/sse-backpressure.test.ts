import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test/start-test-server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
});

describe('SSE backpressure', () => {
  it('disconnects a client that stops reading instead of buffering without bound', async () => {
    server = await startTestServer();
    const { hostname, port } = new URL(server.url);
    const socket = connect(Number(port), hostname);
    socket.on('error', () => undefined);
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      `GET /v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${server.adminKey}\r\n\r\n`,
    );
    // Read the response headers, then stop reading for good.
    await new Promise((resolve) => socket.once('data', resolve));
    socket.pause();
    const agent = await server.createKey({ role: 'agent', name: 'bot' });
    // 600 kB per event, in strings under the default maxStringLength (256 KiB).
    const context = { a: 'x'.repeat(200_000), b: 'x'.repeat(200_000), c: 'x'.repeat(200_000) };
    const bus = server.server.context.bus;
    expect(bus.size).toBe(1);
    let created = 0;
    // The stream's subscription ends when the server cuts the connection.
    while (bus.size > 0 && created < 100) {
      const response = await fetch(`${server.url}/v1/requests`, {
        method: 'POST',
        headers: { authorization: `Bearer ${agent}`, 'content-type': 'application/json' },
        body: JSON.stringify({ action: 'big', context }),
      });
      expect(response.status).toBe(201);
      created++;
    }
    expect(bus.size).toBe(0);
    expect(created).toBeLessThan(100);
    socket.destroy();
  });

  it('disconnects a client that reads nothing of a waiting replay after four keep-alive intervals', async () => {
    server = await startTestServer({ keepAliveMs: 50 });
    const agent = await server.createKey({ role: 'agent', name: 'bot' });
    const context = { blob: 'x'.repeat(200_000) };
    for (let index = 0; index < 30; index++) {
      const response = await fetch(`${server.url}/v1/requests`, {
        method: 'POST',
        headers: { authorization: `Bearer ${agent}`, 'content-type': 'application/json' },
        body: JSON.stringify({ action: `big ${index}`, context }),
      });
      expect(response.status).toBe(201);
    }
    const { hostname, port } = new URL(server.url);
    const socket = connect(Number(port), hostname);
    socket.on('error', () => undefined);
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      `GET /v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${agent}\r\nLast-Event-ID: 0\r\n\r\n`,
    );
    await new Promise((resolve) => socket.once('data', resolve));
    socket.pause();
    const bus = server.server.context.bus;
    expect(bus.size).toBe(1);
    // The replay waits for the client instead of queueing 6 MB, then gives up on it.
    while (bus.size > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    socket.destroy();
  });
});
