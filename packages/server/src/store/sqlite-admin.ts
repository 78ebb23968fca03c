import type { Statements } from './sqlite-statements.js';
import { type AdminMethods, type KeyRow, toKey, toWebhook, type WebhookRow } from './store-rows.js';

/** Webhook subscriptions, API keys and settings on SQLite. */
export function sqliteAdmin(sql: Statements): AdminMethods {
  return {
    async insertWebhook(webhook) {
      sql.run(
        'INSERT INTO webhooks (id, url, secret, events, enabled, created_at) VALUES (?, ?, ?, ?, ?, ?)',
        webhook.id,
        webhook.url,
        webhook.secret,
        JSON.stringify(webhook.events),
        webhook.enabled ? 1 : 0,
        webhook.createdAt,
      );
    },
    async listWebhooks() {
      return sql.all<WebhookRow>('SELECT * FROM webhooks ORDER BY created_at, id').map(toWebhook);
    },
    async getWebhook(id) {
      const row = sql.get<WebhookRow>('SELECT * FROM webhooks WHERE id = ?', id);
      return row ? toWebhook(row) : undefined;
    },
    async setWebhookEnabled(id, enabled) {
      sql.run('UPDATE webhooks SET enabled = ? WHERE id = ?', enabled ? 1 : 0, id);
    },
    async deleteWebhook(id) {
      return sql.run('DELETE FROM webhooks WHERE id = ?', id) === 1;
    },
    async insertApiKey(key) {
      sql.run(
        'INSERT INTO api_keys (id, name, role, groups, hash, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
        key.id,
        key.name,
        key.role,
        JSON.stringify(key.groups),
        key.hash,
        key.createdAt,
        key.revokedAt ?? null,
      );
    },
    async getApiKey(id) {
      const row = sql.get<KeyRow>('SELECT * FROM api_keys WHERE id = ?', id);
      return row ? toKey(row) : undefined;
    },
    async listApiKeys() {
      return sql.all<KeyRow>('SELECT * FROM api_keys ORDER BY created_at, id').map(toKey);
    },
    async revokeApiKey(id, at) {
      return (
        sql.run(
          'UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL',
          at,
          id,
        ) === 1
      );
    },
    async getSetting(name) {
      return sql.get<{ value: string }>('SELECT value FROM settings WHERE name = ?', name)?.value;
    },
    async setSetting(name, value) {
      sql.run(
        'INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value',
        name,
        value,
      );
    },
  };
}
