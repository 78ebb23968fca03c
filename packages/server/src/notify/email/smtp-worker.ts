// The thread that talks SMTP for the email channel. Building and sending one message takes
// nodemailer some twenty turns of its event loop; on a busy server's loop each turn waits behind
// requests and commits, here it does not. Node runs this file directly from source in tests
// (type stripping), so it imports packages only.
import { parentPort, workerData } from 'node:worker_threads';
import nodemailer from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool/index.js';
import type { EmailMessage } from './email-message.js';

/** One rendered message with its envelope, as nodemailer takes it. */
export interface SmtpMail extends EmailMessage {
  from: string;
  to: string;
  headers: Record<string, string>;
}

/** A message from the channel to this thread. */
export type SmtpTask =
  | { id: number; task: 'send'; mail: SmtpMail }
  | { id: number; task: 'verify' }
  | { id: number; task: 'close' };

/** The answer to one task; `responseCode` is the relay's reply code when it refused. */
export type SmtpAnswer =
  | { id: number; ok: true }
  | { id: number; ok: false; message: string; responseCode?: number };

const port = parentPort;
if (port) {
  const transport = nodemailer.createTransport(workerData as SMTPPool.Options);
  const answer = (id: number, work: Promise<unknown>) =>
    work.then(
      () => port.postMessage({ id, ok: true } satisfies SmtpAnswer),
      (error: unknown) => {
        const code = (error as { responseCode?: unknown }).responseCode;
        port.postMessage({
          id,
          ok: false,
          message: error instanceof Error ? error.message : String(error),
          ...(typeof code === 'number' ? { responseCode: code } : {}),
        } satisfies SmtpAnswer);
      },
    );
  port.on('message', (task: SmtpTask) => {
    if (task.task === 'send') answer(task.id, transport.sendMail(task.mail));
    else if (task.task === 'verify') answer(task.id, transport.verify());
    else {
      transport.close();
      port.postMessage({ id: task.id, ok: true } satisfies SmtpAnswer);
      port.close();
    }
  });
}
