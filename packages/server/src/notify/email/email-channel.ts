import type SMTPPool from 'nodemailer/lib/smtp-pool/index.js';
import { ServerConfigError } from '../../config/server-config-error.js';
import { redactUrl } from '../../store/open-configured-store.js';
import { type NotificationChannel, PermanentDeliveryError } from '../notification-types.js';
import { renderEmail } from './email-message.js';
import { SmtpError, SmtpThread } from './smtp-thread.js';

/** Options for {@link emailChannel}. */
export interface EmailChannelOptions {
  /** `smtp://user:pass@host:587` (STARTTLS when the relay offers it) or `smtps://…:465`. */
  smtpUrl: string;
  /** The From header; default `Countersign <countersign@HOST>` with the public URL's host. */
  from?: string;
  /** The public URL, for the default From and the Message-ID domain. */
  publicUrl: () => string;
  /** The time source (for "in about N h"). */
  now: () => number;
}

const IP = /^[\d.]+$|:/;

function hostOf(url: string): string {
  const host = new URL(url).hostname;
  return IP.test(host) ? 'localhost' : host;
}

/** The email channel: one SMTP relay, messages rendered from the request, threaded per address. */
export function emailChannel(options: EmailChannelOptions): NotificationChannel {
  const settings: SMTPPool.Options = {
    url: options.smtpUrl,
    // Deliveries run concurrently: a few kept-open connections instead of one per message.
    pool: true as const,
    maxConnections: 10,
    // nodemailer closes a pooled connection after 100 messages by default; a busy relay keeps it.
    maxMessages: Number.POSITIVE_INFINITY,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  };
  // The SMTP exchange runs on a thread of its own, off the server's busy event loop.
  const transport = new SmtpThread(settings);
  const from = () => options.from ?? `Countersign <countersign@${hostOf(options.publicUrl())}>`;
  const domain = () => /@([^>\s]+)>?\s*$/.exec(from())?.[1] ?? hostOf(options.publicUrl());
  return {
    name: 'email',
    addressOf: (user) => user.email,
    async verify() {
      try {
        await transport.verify();
      } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        throw new ServerConfigError([
          {
            option: 'smtpUrl',
            source: '--smtp-url',
            message: `--smtp-url (COUNTERSIGN_SMTP_URL): cannot use the SMTP relay ${redactUrl(options.smtpUrl)}: ${why}`,
          },
        ]);
      }
    },
    async deliver(delivery) {
      const message = renderEmail(delivery, domain(), options.now());
      try {
        await transport.send({
          ...message,
          from: from(),
          to: delivery.notification.address,
          headers: { 'X-Countersign-Request': delivery.request.id },
        });
      } catch (error) {
        // 5xx is the relay refusing this message for good (no such mailbox, say); the rest retries.
        if (error instanceof SmtpError && (error.responseCode ?? 0) >= 500) {
          throw new PermanentDeliveryError(error.message, { cause: error });
        }
        throw error;
      }
    },
    close: () => transport.close(),
  };
}
