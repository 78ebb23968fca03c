// An SMTP server on loopback in its own process, for the notification bench: prints its port, then
// one line per message received with the request id the message names, and nothing else.
import { SMTPServer } from 'smtp-server';

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
      const id = /X-Countersign-Request: (\S+)/i.exec(head)?.[1];
      if (id) process.stdout.write(`${id}\n`);
      callback();
    });
  },
});
smtp.listen(0, '127.0.0.1', () => {
  const address = smtp.server.address();
  process.stdout.write(`port ${typeof address === 'object' && address ? address.port : 0}\n`);
});
process.stdin.on('end', () => smtp.close(() => process.exit(0)));
process.stdin.resume();
