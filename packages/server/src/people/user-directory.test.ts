import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CountersignError } from '@countersign/core/protocol';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../store/sqlite-store.js';
import type { Store } from '../store/store-types.js';
import { freshPostgresStore } from '../test-support/postgres.js';
import {
  activeGroupMembers,
  addUser,
  disableUser,
  expandAssignees,
  findUser,
  findUserByEmail,
  findUserBySlackId,
  updateUser,
  upsertUser,
} from './user-directory.js';

const at = new Date('2026-03-01T09:00:00.000Z');

async function codeOf(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    if (CountersignError.isInstance(error)) return error.code;
    throw error;
  }
  return 'no error';
}

const stores: [string, () => Promise<{ store: Store; dispose(): Promise<void> }>][] = [
  [
    'SQLite',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'countersign-users-'));
      const store = openSqliteStore({ path: join(dir, 'users.db') });
      return {
        store,
        async dispose() {
          await store.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  ],
  ['PostgreSQL', freshPostgresStore],
];

describe.each(stores)('people directory on %s', (_name, open) => {
  let store: Store;
  let dispose: () => Promise<void>;
  beforeEach(async () => {
    ({ store, dispose } = await open());
  });
  afterEach(async () => {
    await dispose();
  });

  it('adds users and finds them by name, email (any case) and Slack id', async () => {
    const alice = await store.transaction((tx) =>
      addUser(
        tx,
        'alice',
        {
          displayName: 'Alice Martin',
          email: 'Alice@Example.com',
          slackUserId: 'U01ALICE',
          groups: ['legal', 'legal', 'ops'],
          notifications: { channels: ['email'] },
        },
        at,
      ),
    );
    expect(alice).toEqual({
      name: 'alice',
      displayName: 'Alice Martin',
      email: 'Alice@Example.com',
      slackUserId: 'U01ALICE',
      groups: ['legal', 'ops'],
      active: true,
      notifications: { channels: ['email'] },
      createdAt: at.toISOString(),
      updatedAt: at.toISOString(),
    });
    await store.read(async (tx) => {
      expect(await findUser(tx, 'alice')).toEqual(alice);
      expect(await findUser(tx, 'user:alice')).toEqual(alice);
      expect(await findUserByEmail(tx, 'alice@EXAMPLE.com')).toEqual(alice);
      expect(await findUserBySlackId(tx, 'U01ALICE')).toEqual(alice);
      expect(await findUserBySlackId(tx, 'U01NOBODY')).toBeUndefined();
      expect(await findUser(tx, 'bob')).toBeUndefined();
    });
  });

  it('refuses a taken name, email or Slack id, and bad fields, naming each problem', async () => {
    await store.transaction((tx) =>
      addUser(tx, 'alice', { email: 'alice@example.com', slackUserId: 'U01ALICE' }),
    );
    expect(await codeOf(store.transaction((tx) => addUser(tx, 'alice')))).toBe('conflict');
    expect(
      await codeOf(store.transaction((tx) => addUser(tx, 'bob', { email: 'ALICE@example.com' }))),
    ).toBe('conflict');
    expect(
      await codeOf(store.transaction((tx) => addUser(tx, 'bob', { slackUserId: 'U01ALICE' }))),
    ).toBe('conflict');
    const invalid = store.transaction((tx) =>
      addUser(tx, 'bad name', { email: 'nope', slackUserId: 'x', groups: ['a b'] }),
    );
    await expect(invalid).rejects.toMatchObject({
      code: 'validation_failed',
      details: { problems: expect.arrayContaining([expect.stringContaining('email')]) },
    });
    await expect(invalid).rejects.toMatchObject({ details: { problems: { length: 4 } } });
    expect(await store.read((tx) => tx.listUsers({ limit: 10 }))).toHaveLength(1);
  });

  it('updates fields, clears them with null, and 404s an unknown user', async () => {
    await store.transaction((tx) => addUser(tx, 'bob', { email: 'bob@example.com' }, at));
    const later = new Date(at.getTime() + 60_000);
    const bob = await store.transaction((tx) =>
      updateUser(tx, 'bob', { email: null, displayName: 'Bob', groups: ['finance'] }, later),
    );
    expect(bob).toMatchObject({ displayName: 'Bob', groups: ['finance'], active: true });
    expect(bob.email).toBeUndefined();
    expect(bob.updatedAt).toBe(later.toISOString());
    expect(bob.createdAt).toBe(at.toISOString());
    expect(await store.read((tx) => findUserByEmail(tx, 'bob@example.com'))).toBeUndefined();
    expect(await codeOf(store.transaction((tx) => updateUser(tx, 'nobody', {})))).toBe('not_found');
  });

  it('upserts for sign-in provisioning: creates, then syncs email and groups, never re-enables', async () => {
    const first = await store.transaction((tx) =>
      upsertUser(tx, 'carol', { email: 'carol@example.com', groups: ['legal'] }),
    );
    expect(first).toMatchObject({ created: true, user: { groups: ['legal'], active: true } });
    await store.transaction((tx) => disableUser(tx, 'carol'));
    const second = await store.transaction((tx) =>
      upsertUser(tx, 'carol', { email: 'carol@corp.example', groups: ['cfo'] }),
    );
    expect(second).toMatchObject({
      created: false,
      user: { email: 'carol@corp.example', groups: ['cfo'], active: false },
    });
  });

  it('expands user: and group: assignees to active people, each once', async () => {
    await store.transaction(async (tx) => {
      await addUser(tx, 'alice', { groups: ['legal'] });
      await addUser(tx, 'bob', { groups: ['legal', 'finance'] });
      await addUser(tx, 'carol', { groups: ['finance'] });
      await addUser(tx, 'dave', { groups: ['legal'], active: false });
    });
    const names = async (assignees: string[]) =>
      (await store.read((tx) => expandAssignees(tx, assignees))).map((user) => user.name);
    expect(await names(['group:legal'])).toEqual(['alice', 'bob']);
    expect(await names(['user:carol', 'group:legal', 'group:finance'])).toEqual([
      'carol',
      'alice',
      'bob',
    ]);
    expect(await names(['user:dave', 'user:ghost', 'agent:bot', 'group:none'])).toEqual([]);
    expect(await names([])).toEqual([]);
    expect(
      (await store.read((tx) => activeGroupMembers(tx, 'group:finance'))).map((u) => u.name),
    ).toEqual(['bob', 'carol']);
  });

  it('lists by name in pages, and by state', async () => {
    await store.transaction(async (tx) => {
      for (const name of ['erin', 'alice', 'carol', 'bob', 'dave']) await addUser(tx, name);
      await disableUser(tx, 'carol');
    });
    const page = (after?: string) =>
      store.read((tx) => tx.listUsers({ limit: 2, ...(after ? { after } : {}) }));
    expect((await page()).map((u) => u.name)).toEqual(['alice', 'bob']);
    expect((await page('bob')).map((u) => u.name)).toEqual(['carol', 'dave']);
    const disabled = await store.read((tx) => tx.listUsers({ limit: 10, active: false }));
    expect(disabled.map((u) => u.name)).toEqual(['carol']);
    const active = await store.read((tx) => tx.listUsers({ limit: 10, active: true }));
    expect(active).toHaveLength(4);
  });
});
