import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../store/sqlite-store.js';
import { createHarness, type Harness } from '../test-support/harness.js';
import { createApp } from './app.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** `{"a":{"a":…1…}}` with `levels` objects. */
function nested(levels: number): unknown {
  let value: unknown = 1;
  for (let level = 0; level < levels; level++) value = { a: value };
  return value;
}

// JSON.stringify recurses too; the deepest bodies are written as text.
function deepText(levels: number): string {
  return `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
}

describe('input limits (depth, entries, strings, schema size)', () => {
  it('refuses JSON nested thousands of levels deep in context, args, metadata and the Ambedo body, never 500', async () => {
    h = await createHarness();
    const deep = deepText(4000);
    const bodies: [string, string, string][] = [
      ['/v1/requests', `{"action":"X","context":${deep}}`, '/context/a/a'],
      ['/v1/requests', `{"action":"X","tool":{"name":"t","args":${deep}}}`, '/tool/args/a/a'],
      ['/v1/requests', `{"action":"X","metadata":${deep}}`, '/metadata/a/a'],
      ['/api/pause', `{"action":"X","context":${deep}}`, '/context/a/a'],
      [
        '/api/pause',
        `{"action":"X","context":[${'['.repeat(3000)}${']'.repeat(3000)}]}`,
        '/context/0/0',
      ],
    ];
    for (const [path, body, pointer] of bodies) {
      const refused = await h.call(h.keys.agent, 'POST', path, body);
      expect(refused.status, `${path} ${pointer}`).toBe(400);
      expect(refused.body.error.code).toBe('validation_failed');
      expect(refused.body.error.details).toMatchObject({ name: 'maxJsonDepth', limit: 64 });
      expect(refused.body.error.details.path).toMatch(new RegExp(`^${pointer}`));
      expect(refused.body.error.message).toContain('maxJsonDepth = 64');
    }
    const created = await h.call(h.keys.agent, 'POST', '/v1/requests', {
      action: 'X',
      tool: { name: 't', args: { ok: true } },
      assignees: ['user:alice'],
    });
    const edit = await h.call(h.keys.alice, 'POST', `/v1/requests/${created.body.id}/decisions`, {
      outcome: 'edit',
      args: nested(100),
    });
    expect(edit.status).toBe(400);
    expect(edit.body.error.details.path).toMatch(/^\/args\/a\/a/);
  });

  it('accepts the deepest body allowed, 64 levels with the body itself', async () => {
    h = await createHarness();
    const created = await h.call(h.keys.agent, 'POST', '/v1/requests', {
      action: 'X',
      tool: { name: 't', args: nested(62) as Record<string, unknown> },
    });
    expect(created.status).toBe(201);
    const over = await h.call(h.keys.agent, 'POST', '/v1/requests', {
      action: 'X',
      tool: { name: 't', args: nested(63) as Record<string, unknown> },
    });
    expect(over.status).toBe(400);
    expect(over.body.error.details).toMatchObject({
      value: 65,
      path: `/tool/args${'/a'.repeat(62)}`,
    });
  });

  it('refuses too many entries and too long strings with 413 naming the limit and the path', async () => {
    h = await createHarness();
    const many = Object.fromEntries(Array.from({ length: 10_001 }, (_, i) => [`k${i}`, i]));
    const entries = await h.call(h.keys.agent, 'POST', '/v1/requests', {
      action: 'X',
      context: many,
    });
    expect(entries.status).toBe(413);
    expect(entries.body.error).toMatchObject({
      code: 'payload_too_large',
      details: { name: 'maxJsonEntries', limit: 10_000, value: 10_001 },
    });
    const long = await h.call(h.keys.agent, 'POST', '/v1/requests', {
      action: 'X',
      context: { note: 'x'.repeat(256 * 1024 + 1) },
    });
    expect(long.status).toBe(413);
    expect(long.body.error.details).toEqual({
      name: 'maxStringLength',
      limit: 262_144,
      value: 262_145,
      path: '/context/note',
    });
    const schema = {
      type: 'object',
      properties: Object.fromEntries(
        Array.from({ length: 3000 }, (_, i) => [`field_${i}`, { type: 'string' }]),
      ),
    };
    const big = await h.call(h.keys.agent, 'POST', '/v1/requests', {
      action: 'X',
      tool: { name: 't', args: {}, schema },
    });
    expect(big.status).toBe(413);
    expect(big.body.error.details).toMatchObject({ name: 'maxSchemaBytes', path: '/tool/schema' });
    const stored = await h.context.store.read((tx) =>
      tx.listRequests({ visibility: { all: true }, limit: 10 }),
    );
    expect(stored.items).toEqual([]);
  });

  it('takes other limits and refuses bad ones at construction', async () => {
    h = await createHarness({ inputLimits: { maxJsonDepth: 16, maxJsonEntries: 200 } });
    const deep = await h.call(h.keys.agent, 'POST', '/v1/requests', {
      action: 'X',
      context: nested(16),
    });
    expect(deep.status).toBe(400);
    expect(deep.body.error.details).toMatchObject({ limit: 16, value: 17 });
    const store = openSqliteStore({ path: ':memory:' });
    for (const inputLimits of [
      { maxJsonDepth: 2 },
      { maxStringLength: 1.5 },
      { maxSchemaBytes: -1 },
    ]) {
      expect(() => createApp({ store, inputLimits })).toThrow(/^inputLimits\.\w+ must be/);
    }
    await store.close();
  });
});
