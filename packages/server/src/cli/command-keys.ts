import { parseArgs } from 'node:util';
import { assertKeyOptions, createApiKey } from '../auth/api-keys.js';
import { rotateSigningKey } from '../receipts/rotate-signing-key.js';
import type { Role } from '../store/store-types.js';
import { CliError, type CliIo } from './cli-support.js';
import { openStoreFromFlags, STORE_OPTIONS } from './open-store.js';

/** `countersign keys create|list|revoke …`, offline against the database (SQLite file or PostgreSQL). */
export async function keysCommand(args: string[], io: CliIo): Promise<number> {
  const [action, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      role: { type: 'string' },
      name: { type: 'string' },
      user: { type: 'string' },
      groups: { type: 'string' },
      ...STORE_OPTIONS,
      json: { type: 'boolean', default: false },
      'signing-key-secret': { type: 'string' },
      'signing-key-secret-file': { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  const store = await openStoreFromFlags(values, io.env);
  try {
    if (action === 'create') {
      const name = values.user ?? values.name;
      if (!values.role || !name)
        throw new CliError('keys create needs --role and --name (or --user)');
      if (values.user !== undefined) {
        if (values.name !== undefined) throw new CliError('Give either --user or --name, not both');
        if (values.groups !== undefined) {
          throw new CliError("--user keys take the user's groups: change them with users update");
        }
        if (values.role === 'agent') throw new CliError('--user is for reviewer and admin keys');
        const user = values.user;
        if (!(await store.read((tx) => tx.getUser(user)))) {
          throw new CliError(`No user ${user}: add it first with "countersign users add ${user}"`);
        }
      }
      const options = {
        role: values.role as Role,
        name,
        groups: values.groups ? values.groups.split(',').map((group) => group.trim()) : [],
      };
      assertKeyOptions(options);
      const { key } = await store.transaction((tx) => createApiKey(tx, options));
      io.out(key);
      return 0;
    }
    if (action === 'list') {
      const keys = await store.read((tx) => tx.listApiKeys());
      if (values.json) {
        io.out(JSON.stringify(keys.map(({ hash: _hash, ...key }) => key)));
        return 0;
      }
      for (const key of keys) {
        const groups = key.groups.length > 0 ? ` groups=${key.groups.join(',')}` : '';
        const state = key.revokedAt ? ` revoked ${key.revokedAt}` : '';
        io.out(
          `${key.id}  ${key.role.padEnd(8)} ${key.name}${groups}  created ${key.createdAt}${state}`,
        );
      }
      return 0;
    }
    if (action === 'revoke') {
      const id = positionals[0];
      if (!id) throw new CliError('keys revoke needs the key id (see keys list)');
      const revoked = await store.transaction((tx) =>
        tx.revokeApiKey(id, new Date().toISOString()),
      );
      if (!revoked) throw new CliError(`No live key ${id}`);
      io.out(`Revoked ${id}`);
      return 0;
    }
    if (action === 'rotate-signing') {
      const id = await rotateSigningKey(store, {
        secret: values['signing-key-secret'] ?? io.env.COUNTERSIGN_SIGNING_KEY_SECRET,
        file: values['signing-key-secret-file'] ?? io.env.COUNTERSIGN_SIGNING_KEY_SECRET_FILE,
      });
      io.out(
        values.json ? JSON.stringify({ id }) : `New signing key ${id} (older keys still verify)`,
      );
      return 0;
    }
    throw new CliError('Usage: countersign keys create|list|revoke|rotate-signing');
  } finally {
    await store.close();
  }
}
