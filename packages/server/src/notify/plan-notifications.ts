import type { ApprovalRequest, RequestEvent } from '@countersign/core/protocol';
import { expandAssignees } from '../people/user-directory.js';
import type { StoreTx, UserRecord } from '../store/store-types.js';
import type { Notification, NotificationChannel, NotificationKind } from './notification-types.js';

/** A notification before it has its outbox id and thread position. */
export type PlannedNotification = Omit<Notification, 'id' | 'first'>;

/** What an event tells people, if anything: a partial approval or an edit of the request tells no one. */
export function notificationKind(event: RequestEvent): NotificationKind | undefined {
  if (event.type === 'created') return 'request';
  if (event.type === 'reminded') return 'reminder';
  if (event.type === 'escalated') return 'escalation';
  if (event.request.status !== 'pending') return 'outcome';
  return undefined;
}

const deciders = (request: ApprovalRequest) =>
  new Set(request.decisions.map((decision) => decision.principal));

/** The people an event is for: assignees (new ones on escalation), minus who already decided. */
async function peopleFor(
  tx: StoreTx,
  event: RequestEvent,
  kind: NotificationKind,
): Promise<UserRecord[]> {
  const { request } = event;
  if (kind === 'outcome') return expandAssignees(tx, request.assignees);
  const assignees =
    kind === 'escalation' && Array.isArray(event.data.added)
      ? (event.data.added as string[])
      : request.assignees;
  const decided = deciders(request);
  return (await expandAssignees(tx, assignees)).filter(
    (user) => !decided.has(`user:${user.name}`) && `user:${user.name}` !== request.requester,
  );
}

function allows(user: UserRecord, channel: string, restriction: readonly string[] | undefined) {
  const own = user.notifications.channels;
  return (own === undefined || own.includes(channel)) && (restriction?.includes(channel) ?? true);
}

/** A target's channel and address, and the person behind it when the directory knows them. */
async function targetAddress(
  tx: StoreTx,
  target: string,
): Promise<{ channel: string; address: string; user?: string } | undefined> {
  const separator = target.indexOf(':');
  const channel = target.slice(0, separator);
  const address = target.slice(separator + 1);
  const person =
    channel === 'email'
      ? await tx.findUserByEmail(address)
      : channel === 'slack'
        ? await tx.findUserBySlackId(address)
        : undefined;
  return { channel, address, ...(person?.active ? { user: person.name } : {}) };
}

/**
 * Who hears of an event on which channel. By default every assignee on each channel they have
 * (their own settings and the request's `notify.channels` may narrow it); reminders skip whoever
 * already decided, escalations go to the new assignees, and outcomes go to the requester when
 * `notify.requester` asks, and on channels that follow outcomes to everyone told before.
 * `notify.targets` hear of every step. One message per channel and address.
 */
export async function planNotifications(
  tx: StoreTx,
  event: RequestEvent,
  channels: ReadonlyMap<string, NotificationChannel>,
): Promise<PlannedNotification[]> {
  const kind = notificationKind(event);
  if (!kind || channels.size === 0) return [];
  const { request } = event;
  const notify = request.notify ?? {};
  const planned = new Map<string, PlannedNotification>();
  const add = (channel: string, address: string, user?: string) => {
    const key = `${channel}:${address}`;
    if (planned.has(key) || !channels.has(channel)) return;
    planned.set(key, {
      kind,
      channel,
      address,
      ...(user === undefined ? {} : { user }),
      requestId: request.id,
      eventId: event.id,
      eventType: event.type,
      version: request.version,
    });
  };
  const addPerson = (user: UserRecord, only?: (channel: NotificationChannel) => boolean) => {
    for (const channel of channels.values()) {
      if (only && !only(channel)) continue;
      if (!allows(user, channel.name, notify.channels)) continue;
      const address = channel.addressOf(user);
      if (address !== undefined) add(channel.name, address, user.name);
    }
  };
  if (kind === 'outcome') {
    if (notify.requester && request.requester.startsWith('user:')) {
      const requester = await tx.getUser(request.requester.slice(5));
      if (requester?.active) addPerson(requester);
    }
    for (const user of await peopleFor(tx, event, kind)) {
      addPerson(user, (channel) => channel.followsOutcome === true);
    }
  } else {
    for (const user of await peopleFor(tx, event, kind)) addPerson(user);
  }
  for (const target of notify.targets ?? []) {
    if (target.startsWith('user:') || target.startsWith('group:')) {
      for (const user of await expandAssignees(tx, [target])) addPerson(user);
      continue;
    }
    const found = await targetAddress(tx, target);
    if (found) add(found.channel, found.address, found.user);
  }
  // A channel's own standing targets (Slack's default channel) hear of every step, like targets.
  for (const channel of channels.values()) {
    for (const address of channel.defaultAddresses ?? []) add(channel.name, address);
  }
  return [...planned.values()];
}
