import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliIo } from './cli-support.js';
import { runCli } from './run-cli.js';

let directory: string;
let db: string;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'countersign-users-cli-'));
  db = join(directory, 'users.db');
});
afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (text) => out.push(text),
    write: (text) => out.push(text),
    err: (text) => err.push(text),
    env: {},
  };
  const code = await runCli([...argv, '--db', db], io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('countersign users', () => {
  it('adds, updates, lists and disables users offline on the database', async () => {
    const added = await run(
      'users',
      'add',
      'alice',
      '--display-name',
      'Alice Martin',
      '--email',
      'alice@example.com',
      '--slack-id',
      'U01ALICE',
      '--groups',
      'legal,ops',
      '--channels',
      'email',
    );
    expect(added.code).toBe(0);
    expect(added.out).toContain('alice');
    expect(added.out).toContain('groups=legal,ops');
    expect((await run('users', 'add', 'alice')).err).toContain('conflict: The user alice exists');
    expect((await run('users', 'add', 'bob', '--email', 'nope')).err).toContain(
      'email "nope" is not an email address',
    );
    const updated = await run('users', 'update', 'alice', '--email', '', '--groups', 'legal');
    expect(updated.out).not.toContain('email=');
    expect(updated.out).toContain('groups=legal');
    await run('users', 'add', 'bob');
    expect((await run('users', 'disable', 'bob')).out).toContain('disabled');
    expect((await run('users', 'disable', 'ghost')).err).toContain('No user ghost');
    const listed = JSON.parse((await run('users', 'list', '--json')).out);
    expect(
      listed.map((user: { name: string; active: boolean }) => [user.name, user.active]),
    ).toEqual([
      ['alice', true],
      ['bob', false],
    ]);
    const disabled = (await run('users', 'list', '--disabled')).out;
    expect(disabled).toContain('bob');
    expect(disabled).not.toContain('alice');
    expect((await run('users', 'frobnicate')).code).toBe(2);
  });

  it('makes keys of a directory user (--user), and --name/--groups creates or updates the user', async () => {
    expect((await run('keys', 'create', '--role', 'reviewer', '--user', 'carol')).err).toContain(
      'No user carol',
    );
    await run('users', 'add', 'carol', '--groups', 'cfo');
    const key = await run('keys', 'create', '--role', 'reviewer', '--user', 'carol');
    expect(key.out).toMatch(/^csk_/);
    const keys = JSON.parse((await run('keys', 'list', '--json')).out);
    expect(keys[0]).toMatchObject({ name: 'carol', groups: ['cfo'] });
    expect(
      (await run('keys', 'create', '--role', 'reviewer', '--user', 'carol', '--groups', 'x')).err,
    ).toContain('users update');

    await run('keys', 'create', '--role', 'reviewer', '--name', 'dave', '--groups', 'legal');
    await run('keys', 'create', '--role', 'reviewer', '--name', 'carol', '--groups', 'cfo,board');
    const users = JSON.parse((await run('users', 'list', '--json')).out);
    expect(
      users.map((user: { name: string; groups: string[] }) => [user.name, user.groups]),
    ).toEqual([
      ['carol', ['cfo', 'board']],
      ['dave', ['legal']],
    ]);
    await run('users', 'disable', 'dave');
    expect((await run('keys', 'create', '--role', 'reviewer', '--name', 'dave')).err).toContain(
      'disabled',
    );
  });
});
