import type { ApprovalRequest, RequestEventType } from '@countersign/core/protocol';
import type { Store, UserRecord } from '../store/store-types.js';

/** Why a message goes out: a new request, a reminder, an escalation, or how it ended. */
export type NotificationKind = 'request' | 'reminder' | 'escalation' | 'outcome';

/** The prefix of a notification's outbox `url`: `notify:CHANNEL:ADDRESS`. */
export const NOTIFY_PREFIX = 'notify:';

/** The outbox `url` of a notification: `notify:CHANNEL:ADDRESS`. */
export const notificationUrl = (channel: string, address: string) =>
  `${NOTIFY_PREFIX}${channel}:${address}`;

/** One planned message to one address on one channel, as its outbox row carries it. */
export interface Notification {
  /** The outbox row id; stable across retries (an idempotency key for the channel). */
  id: string;
  kind: NotificationKind;
  channel: string;
  /** Where it goes on that channel: an email address, a Slack member id or `#channel`. */
  address: string;
  /** The directory user it is for, when it is for a person (links act as them). */
  user?: string;
  requestId: string;
  /** The request event that caused it. */
  eventId: string;
  eventType: RequestEventType;
  /** The request version it was planned at. */
  version: number;
  /** True for the first message of this request to this address (threads start there). */
  first: boolean;
}

/** Links a message may carry, all under the public URL. */
export interface NotificationLinks {
  /** The request in the dashboard. */
  dashboard: string;
  /**
   * The recipient's signed decision page (`/d/<token>`), when the request is pending, the message
   * is for a person and links are not switched to the dashboard sign-in.
   */
  decide?: string;
}

/** What a channel gets to deliver one notification. */
export interface NotificationDelivery {
  notification: Notification;
  /** The request as it stands now (it may have moved on since the notification was planned). */
  request: ApprovalRequest;
  /** The recipient's directory record, when it is a person. */
  recipient?: UserRecord;
  links: NotificationLinks;
  /** The server's public URL, without a trailing slash. */
  publicUrl: string;
  /** The store, for a channel that keeps its own records (a Slack message's `ts`, say). */
  store: Store;
}

/**
 * A way to reach people: email, Slack, … A channel is registered on the server; the framework
 * plans who gets what, writes outbox rows, and calls `deliver` at least once per row with
 * backoff (a throw is a failed attempt, retried; {@link PermanentDeliveryError} gives up).
 */
export interface NotificationChannel {
  /** The name in targets (`email:…`), user settings and `notify.channels`: `email`, `slack`. */
  readonly name: string;
  /** A person's address on this channel, or undefined when they have none (no email, say). */
  addressOf(user: UserRecord): string | undefined;
  /**
   * True when everyone told of a request on this channel is also sent its outcome, so the
   * channel can update its earlier messages (Slack's `chat.update`); false: only the requester
   * (when asked) and targets get outcomes.
   */
  readonly followsOutcome?: boolean;
  /** Addresses told of every request on this channel, like `notify.targets` (a default channel). */
  readonly defaultAddresses?: readonly string[];
  /** Checked once at start; a throw refuses to start (one line naming the option). */
  verify?(): Promise<void>;
  /** Sends one message; resolves once handed over (SMTP accepted it, the API answered ok). */
  deliver(delivery: NotificationDelivery): Promise<void>;
  /** Releases connections on shutdown. */
  close?(): Promise<void>;
}

/** A delivery that retrying cannot fix (a refused address, a revoked token): no more attempts. */
export class PermanentDeliveryError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentDeliveryError';
  }
}
