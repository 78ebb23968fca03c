// A local SMTP server that keeps what it receives: a stand-in for a real relay, so the example
// runs without network. Point Countersign's --smtp-url at your relay instead in real use.
import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** Starts the mailbox on a free loopback port; `next()` resolves with the next message. */
export async function openLocalMailbox() {
  const inbox: ParsedMail[] = [];
  const waiting: ((mail: ParsedMail) => void)[] = [];
  const server = new SMTPServer({
    authOptional: true,
    hideSTARTTLS: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    // Clients keep pooled connections open: closing ends them instead of waiting 30 s.
    closeTimeout: 100,
    onData(stream, _session, done) {
      simpleParser(stream).then((mail) => {
        const waiter = waiting.shift();
        if (waiter) waiter(mail);
        else inbox.push(mail);
        done();
      }, done);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    next: () =>
      new Promise<ParsedMail>((resolve) => {
        const mail = inbox.shift();
        if (mail) resolve(mail);
        else waiting.push(resolve);
      }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
