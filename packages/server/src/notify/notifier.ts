import { randomBytes } from 'node:crypto';
import { fail } from '../service/failures.js';
import type { Store, StoreTx } from '../store/store-types.js';
import type { NotificationChannel } from './notification-types.js';

/** Where the links of a message lead: the signed decision page, or the dashboard's sign-in. */
export type DecisionLinkMode = 'decide' | 'sign-in';

/** Options for {@link Notifier}. */
export interface NotifierOptions {
  /** The channels, each with its own name. */
  channels: readonly NotificationChannel[];
  /**
   * The base of every link, e.g. `https://countersign.example.com`; default: the address the
   * server listens on (fine on one machine, wrong behind a proxy).
   */
  publicUrl?: string;
  /** `decide` (default): signed one-click links; `sign-in`: links open the dashboard. */
  decisionLinks?: DecisionLinkMode;
  /** The HMAC key of decision links; default: one made on first use and kept in the database. */
  linkSecret?: string;
}

const LINK_SECRET = 'decision_link_secret';

/** The notification channels of a server and what their messages link to. */
export class Notifier {
  readonly channels: ReadonlyMap<string, NotificationChannel>;
  #publicUrl: string | undefined;
  readonly decisionLinks: DecisionLinkMode;
  readonly #givenSecret: Buffer | undefined;
  #storedSecret: Buffer | undefined;

  constructor(options: NotifierOptions) {
    const channels = new Map<string, NotificationChannel>();
    for (const channel of options.channels) {
      if (channels.has(channel.name)) {
        throw fail('validation_failed', `Two notification channels are named ${channel.name}`);
      }
      channels.set(channel.name, channel);
    }
    this.channels = channels;
    this.#publicUrl = options.publicUrl?.replace(/\/+$/, '');
    this.decisionLinks = options.decisionLinks ?? 'decide';
    if (options.linkSecret !== undefined && options.linkSecret.length < 32) {
      throw fail('validation_failed', 'linkSecret must be at least 32 characters');
    }
    this.#givenSecret =
      options.linkSecret === undefined ? undefined : Buffer.from(options.linkSecret, 'utf8');
  }

  /** The base of every link, without a trailing slash. */
  get publicUrl(): string {
    return this.#publicUrl ?? 'http://127.0.0.1:8787';
  }

  /** Sets the base of links when none was configured (the server's own address, once listening). */
  defaultPublicUrl(url: string): void {
    this.#publicUrl ??= url.replace(/\/+$/, '');
  }

  /** The decision-link key: the configured one, or the database's (made once, shared by replicas). */
  async linkSecret(tx: StoreTx): Promise<Buffer> {
    if (this.#givenSecret) return this.#givenSecret;
    if (this.#storedSecret) return this.#storedSecret;
    let stored = await tx.getSetting(LINK_SECRET);
    if (!stored) {
      stored = randomBytes(32).toString('base64url');
      await tx.setSetting(LINK_SECRET, stored);
    }
    this.#storedSecret = Buffer.from(stored, 'utf8');
    return this.#storedSecret;
  }

  /**
   * Makes the stored decision-link key when links need one and none is known yet (one write, the
   * first time), so that `linkSecret` answers without writing from then on, even in a read.
   */
  async ensureLinkSecret(store: Store): Promise<void> {
    if (this.decisionLinks !== 'decide' || this.#givenSecret || this.#storedSecret) return;
    await store.transaction((tx) => this.linkSecret(tx), { background: true });
  }

  /** A request's page in the dashboard. */
  dashboardLink(requestId: string): string {
    return `${this.publicUrl}/#/requests/${encodeURIComponent(requestId)}`;
  }

  /** Checks every channel (SMTP reachable, say); throws the first problem. */
  async verify(): Promise<void> {
    for (const channel of this.channels.values()) await channel.verify?.();
  }

  /** Closes every channel's connections. */
  async close(): Promise<void> {
    for (const channel of this.channels.values()) await channel.close?.();
  }
}
