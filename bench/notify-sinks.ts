// The outside world of the notification bench, in a process of its own as a relay and Slack would
// be: an SMTP server, the Slack Web API stand-in and a webhook receiver, all on loopback. Prints
// `smtp PORT`, `slack URL` and `webhook URL`, then one line per arrival: `email|slack|webhook`, the
// request id it names and when it arrived, in milliseconds on the clock every process shares
// (`performance.timeOrigin + performance.now()`), so the time a line takes to reach the bench is
// not counted. Exits when its stdin ends.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { SlackStandIn } from '@countersign/server/test';
import { SMTPServer } from 'smtp-server';

const now = () => performance.timeOrigin + performance.now();
const arrived = (kind: string, id: string | undefined, at: number) => {
  if (id) process.stdout.write(`${kind} ${id} ${at}\n`);
};

const smtp = new SMTPServer({
  authOptional: true,
  hideSTARTTLS: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  // Clients keep pooled connections open: closing ends them instead of waiting 30 s.
  closeTimeout: 100,
  onData(stream, _session, callback) {
    let head = '';
    stream.on('data', (chunk: Buffer) => {
      if (head.length < 4096) head += chunk.toString('utf8');
    });
    stream.on('end', () => {
      arrived('email', /X-Countersign-Request: (\S+)/i.exec(head)?.[1], now());
      callback();
    });
  },
});
await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));

const slack = new SlackStandIn();
slack.onCall = (call) => {
  if (call.method !== 'chat.postMessage') return;
  arrived('slack', /req_[\w-]+/.exec(JSON.stringify(call.args.blocks))?.[0], now());
};
await slack.start();

const receiver = createServer((request, response) => {
  let body = '';
  request.on('data', (chunk: Buffer) => {
    body += chunk.toString('utf8');
  });
  request.on('end', () => {
    const at = now();
    response.writeHead(204).end();
    arrived('webhook', (JSON.parse(body) as { data?: { requestId?: string } }).data?.requestId, at);
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));

const address = smtp.server.address() as AddressInfo;
process.stdout.write(`smtp ${address.port}\n`);
process.stdout.write(`slack ${slack.apiUrl}\n`);
process.stdout.write(`webhook http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook\n`);
process.stdin.on('end', async () => {
  receiver.closeAllConnections();
  receiver.close();
  await slack.stop();
  smtp.close(() => process.exit(0));
});
process.stdin.resume();
