// An OTLP/HTTP collector stand-in on loopback in its own process, for the observability bench:
// answers every export with 200 and drops it. Prints its port, and the bytes it received once its
// stdin ends.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

let received = 0;
const sink = createServer((request, response) => {
  request.on('data', (chunk: Buffer) => {
    received += chunk.length;
  });
  request.on('end', () =>
    response.writeHead(200, { 'content-type': 'application/json' }).end('{}'),
  );
});
sink.listen(0, '127.0.0.1', () => {
  process.stdout.write(`port ${(sink.address() as AddressInfo).port}\n`);
});
process.stdin.on('end', () => {
  process.stdout.write(`bytes ${received}\n`);
  sink.close();
  sink.closeAllConnections();
});
process.stdin.resume();
