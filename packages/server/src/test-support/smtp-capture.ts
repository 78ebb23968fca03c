import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterEach, beforeEach } from 'vitest';

/** A real SMTP server on a loopback port that keeps every message it accepts, parsed. */
export interface SmtpCapture {
  /** `smtp://user:pass@127.0.0.1:PORT` */
  url: string;
  port: number;
  messages: ParsedMail[];
  /** For each message, whether its session had been upgraded with STARTTLS. */
  secure: boolean[];
  /** Resolves once at least `count` messages arrived; rejects after `timeoutMs` (default 10 s). */
  received(count: number, timeoutMs?: number): Promise<ParsedMail[]>;
  /** Makes the next `count` messages fail with `code` (e.g. 451 to retry, 550 for good). */
  refuseNext(count: number, code: number): void;
  /**
   * Holds the next message to `recipient` in the middle of its DATA (a slow relay) until
   * `release()`; `arrived` resolves once the relay is receiving it.
   */
  hold(recipient: string): { arrived: Promise<void>; release(): void };
  close(): Promise<void>;
}

/** Options for {@link startSmtpCapture}. */
export interface SmtpCaptureOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Offer STARTTLS (with smtp-server's built-in self-signed certificate); off by default. */
  startTls?: boolean;
}

/** Starts an {@link SmtpCapture}. */
export async function startSmtpCapture(options: SmtpCaptureOptions = {}): Promise<SmtpCapture> {
  const { port = 0, startTls = false } = options;
  const messages: ParsedMail[] = [];
  const secure: boolean[] = [];
  const waiters = new Set<() => void>();
  let refusals = { count: 0, code: 451 };
  const holds = new Map<string, { arrived(): void; released: Promise<void> }>();
  const server = new SMTPServer({
    authOptional: true,
    // A plain relay unless asked: a client upgrading verifies the (self-signed) certificate.
    ...(startTls ? {} : { hideSTARTTLS: true, disabledCommands: ['STARTTLS'] }),
    onAuth: (_auth, _session, callback) => callback(null, { user: 'test' }),
    onData(stream, session, callback) {
      if (refusals.count > 0) {
        refusals = { ...refusals, count: refusals.count - 1 };
        stream.resume();
        stream.on('end', () =>
          callback(
            Object.assign(new Error('Refused by the test relay'), { responseCode: refusals.code }),
          ),
        );
        return;
      }
      const held = session.envelope.rcptTo
        .map(({ address }) => holds.get(address.toLowerCase()))
        .find((hold) => hold !== undefined);
      for (const { address } of session.envelope.rcptTo) holds.delete(address.toLowerCase());
      held?.arrived();
      simpleParser(stream)
        .then(async (parsed) => {
          await held?.released;
          secure.push(session.secure);
          messages.push(parsed);
          for (const waiter of waiters) waiter();
          callback();
        })
        .catch(callback);
    },
    logger: false,
    // Clients keep pooled connections open: closing ends them instead of waiting 30 s.
    closeTimeout: 100,
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const actual = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://user:secret@127.0.0.1:${actual}`,
    port: actual,
    messages,
    secure,
    received(count, timeoutMs = 10_000) {
      if (messages.length >= count) return Promise.resolve(messages);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`Expected ${count} messages, got ${messages.length}`));
        }, timeoutMs);
        const check = () => {
          if (messages.length < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(messages);
        };
        waiters.add(check);
      });
    },
    refuseNext(count, code) {
      refusals = { count, code };
    },
    hold(recipient) {
      let arrived: () => void = () => undefined;
      let release: () => void = () => undefined;
      const hold = {
        arrived: new Promise<void>((resolve) => {
          arrived = resolve;
        }),
        released: new Promise<void>((resolve) => {
          release = resolve;
        }),
      };
      holds.set(recipient.toLowerCase(), { arrived, released: hold.released });
      return { arrived: hold.arrived, release };
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** For a test file: a fresh {@link SmtpCapture} for each test, closed after it. */
export function useSmtpCapture(): SmtpCapture {
  let current: SmtpCapture | undefined;
  beforeEach(async () => {
    current = await startSmtpCapture();
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  const now = () => {
    if (!current) throw new Error('The SMTP capture runs only during a test');
    return current;
  };
  return {
    get url() {
      return now().url;
    },
    get port() {
      return now().port;
    },
    get messages() {
      return now().messages;
    },
    get secure() {
      return now().secure;
    },
    received: (count, timeoutMs) => now().received(count, timeoutMs),
    refuseNext: (count, code) => now().refuseNext(count, code),
    hold: (recipient) => now().hold(recipient),
    close: () => now().close(),
  };
}
