import {
  type AdminMethods,
  type KeyRow,
  toKey,
  toWebhook,
  type WebhookRow,
} from '../store-rows.js';
import type { PgSession } from './postgres-session.js';

/** Webhook subscriptions, API keys and settings on PostgreSQL. */
export function postgresAdmin(db: PgSession): AdminMethods {
  return {
    async insertWebhook(webhook) {
      await db.run(
        'INSERT INTO webhooks (id, url, secret, events, enabled, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
        [
          webhook.id,
          webhook.url,
          webhook.secret,
          JSON.stringify(webhook.events),
          webhook.enabled,
          webhook.createdAt,
        ],
      );
    },
    async listWebhooks() {
      return (await db.rows<WebhookRow>('SELECT * FROM webhooks ORDER BY created_at, id')).map(
        toWebhook,
      );
    },
    async getWebhook(id) {
      const row = await db.one<WebhookRow>('SELECT * FROM webhooks WHERE id = $1', [id]);
      return row ? toWebhook(row) : undefined;
    },
    async setWebhookEnabled(id, enabled) {
      await db.run('UPDATE webhooks SET enabled = $1 WHERE id = $2', [enabled, id]);
    },
    async deleteWebhook(id) {
      return (await db.run('DELETE FROM webhooks WHERE id = $1', [id])) === 1;
    },
    async insertApiKey(key) {
      await db.run(
        'INSERT INTO api_keys (id, name, role, groups, hash, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
        [
          key.id,
          key.name,
          key.role,
          JSON.stringify(key.groups),
          key.hash,
          key.createdAt,
          key.revokedAt ?? null,
        ],
      );
    },
    async getApiKey(id) {
      const row = await db.one<KeyRow>('SELECT * FROM api_keys WHERE id = $1', [id]);
      return row ? toKey(row) : undefined;
    },
    async listApiKeys() {
      return (await db.rows<KeyRow>('SELECT * FROM api_keys ORDER BY created_at, id')).map(toKey);
    },
    async revokeApiKey(id, at) {
      const changed = await db.run(
        'UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL',
        [at, id],
      );
      return changed === 1;
    },
    async getSetting(name) {
      const row = await db.one<{ value: string }>('SELECT value FROM settings WHERE name = $1', [
        name,
      ]);
      return row?.value;
    },
    async setSetting(name, value) {
      await db.run(
        'INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
        [name, value],
      );
    },
  };
}
