import type { SlackMessageRef, StoreTx } from '../store-types.js';
import type { SqlSession } from './sql-session.js';
import { sql } from './sql-template.js';

const SLACK_MESSAGES = {
  insert: sql`INSERT INTO slack_messages (request_id, recipient, channel, ts, posted_at, shown_version)
    VALUES (:requestId, :recipient, :channel, :ts, :postedAt, :shownVersion)
    ON CONFLICT (request_id, recipient) DO NOTHING`,
  list: sql`SELECT * FROM slack_messages WHERE request_id = :requestId ORDER BY posted_at, recipient`,
  setVersion: sql`UPDATE slack_messages SET shown_version = :version
    WHERE request_id = :requestId AND recipient = :recipient AND shown_version < :version`,
};

interface SlackMessageRow {
  request_id: string;
  recipient: string;
  channel: string;
  ts: string;
  posted_at: number | string;
  shown_version: number;
}

function toRef(row: SlackMessageRow): SlackMessageRef {
  return {
    requestId: row.request_id,
    recipient: row.recipient,
    channel: row.channel,
    ts: row.ts,
    postedAt: Number(row.posted_at),
    shownVersion: Number(row.shown_version),
  };
}

/** The Slack messages posted about requests. */
export function slackMethods(
  db: SqlSession,
): Pick<StoreTx, 'insertSlackMessage' | 'listSlackMessages' | 'setSlackMessageVersion'> {
  return {
    async insertSlackMessage(message) {
      return (await db.run(SLACK_MESSAGES.insert, { ...message })) === 1;
    },
    async listSlackMessages(requestId) {
      return (await db.rows<SlackMessageRow>(SLACK_MESSAGES.list, { requestId })).map(toRef);
    },
    async setSlackMessageVersion(requestId, recipient, version) {
      return (await db.run(SLACK_MESSAGES.setVersion, { requestId, recipient, version })) === 1;
    },
  };
}
