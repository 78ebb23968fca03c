import {
  type AdminMethods,
  type KeyRow,
  toKey,
  toUser,
  toWebhook,
  type UserRow,
  type WebhookRow,
} from '../store-rows.js';
import { API_KEYS, SETTINGS, WEBHOOKS } from './queries.js';
import type { SqlSession } from './sql-session.js';

/** Webhook subscriptions, API keys and settings. */
export function adminMethods(db: SqlSession): AdminMethods {
  return {
    async insertWebhook(webhook) {
      await db.run(WEBHOOKS.insert, { ...webhook, events: JSON.stringify(webhook.events) });
    },
    async listWebhooks() {
      return (await db.rows<WebhookRow>(WEBHOOKS.list)).map(toWebhook);
    },
    async getWebhook(id) {
      const row = await db.one<WebhookRow>(WEBHOOKS.get, { id });
      return row ? toWebhook(row) : undefined;
    },
    async setWebhookEnabled(id, enabled) {
      await db.run(WEBHOOKS.setEnabled, { id, enabled });
    },
    async deleteWebhook(id) {
      return (await db.run(WEBHOOKS.delete, { id })) === 1;
    },
    async insertApiKey(key) {
      await db.run(API_KEYS.insert, {
        ...key,
        groups: JSON.stringify(key.groups),
        revokedAt: key.revokedAt ?? null,
      });
    },
    async getApiKey(id) {
      const row = await db.one<KeyRow>(API_KEYS.get, { id });
      return row ? toKey(row) : undefined;
    },
    async getApiKeyWithUser(id) {
      const row = await db.one<KeyRow & { [column: `user_${string}`]: unknown }>(
        API_KEYS.getWithUser,
        { id },
      );
      if (!row) return undefined;
      if (row.user_name === null || row.user_name === undefined) return { key: toKey(row) };
      const user = Object.fromEntries(
        Object.entries(row)
          .filter(([column]) => column.startsWith('user_'))
          .map(([column, value]) => [column.slice('user_'.length), value]),
      ) as unknown as UserRow;
      return { key: toKey(row), user: toUser(user) };
    },
    async listApiKeys() {
      return (await db.rows<KeyRow>(API_KEYS.list)).map(toKey);
    },
    async revokeApiKey(id, at) {
      return (await db.run(API_KEYS.revoke, { id, at })) === 1;
    },
    async getSetting(name) {
      return (await db.one<{ value: string }>(SETTINGS.get, { name }))?.value;
    },
    async setSetting(name, value) {
      await db.run(SETTINGS.set, { name, value });
    },
  };
}
