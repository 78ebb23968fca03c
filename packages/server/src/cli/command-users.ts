import { parseArgs } from 'node:util';
import {
  addUser,
  disableUser,
  findUser,
  type UserPatch,
  updateUser,
} from '../people/user-directory.js';
import type { UserRecord } from '../store/store-types.js';
import { CliError, type CliIo } from './cli-support.js';
import { openStoreFromFlags, STORE_OPTIONS } from './open-store.js';

const USAGE = `Usage: countersign users add NAME [--display-name TEXT] [--email E] [--slack-id U…]
                       [--groups a,b] [--channels email,slack]
       countersign users update NAME [the same flags] [--active true|false]
       countersign users list [--active|--disabled] [--json]
       countersign users disable NAME`;

const list = (value: string) => (value === '' ? [] : value.split(',').map((item) => item.trim()));

/** The fields the flags set; `''` clears a text field on update. */
function fieldsFrom(values: Record<string, string | boolean | undefined>): UserPatch {
  const fields: UserPatch = {};
  const text = (flag: string, field: 'displayName' | 'email' | 'slackUserId') => {
    const value = values[flag];
    if (typeof value === 'string') fields[field] = value === '' ? null : value;
  };
  text('display-name', 'displayName');
  text('email', 'email');
  text('slack-id', 'slackUserId');
  if (typeof values.groups === 'string') fields.groups = list(values.groups);
  if (typeof values.channels === 'string')
    fields.notifications = { channels: list(values.channels) };
  if (typeof values.active === 'string') {
    if (values.active !== 'true' && values.active !== 'false') {
      throw new CliError('--active takes true or false');
    }
    fields.active = values.active === 'true';
  }
  return fields;
}

function describe(user: UserRecord): string {
  const parts = [user.name.padEnd(16), user.active ? 'active  ' : 'disabled'];
  if (user.displayName) parts.push(`"${user.displayName}"`);
  if (user.email) parts.push(`email=${user.email}`);
  if (user.slackUserId) parts.push(`slack=${user.slackUserId}`);
  if (user.groups.length > 0) parts.push(`groups=${user.groups.join(',')}`);
  if (user.notifications.channels) parts.push(`channels=${user.notifications.channels.join(',')}`);
  return parts.join(' ');
}

/** `countersign users add|update|list|disable …`, offline against the database like `keys`. */
export async function usersCommand(args: string[], io: CliIo): Promise<number> {
  const [action, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      'display-name': { type: 'string' },
      email: { type: 'string' },
      'slack-id': { type: 'string' },
      groups: { type: 'string' },
      channels: { type: 'string' },
      active: { type: 'string' },
      disabled: { type: 'boolean', default: false },
      ...STORE_OPTIONS,
      json: { type: 'boolean', default: false },
    },
    allowPositionals: true,
    strict: true,
  });
  const name = positionals[0];
  const needName = () => {
    if (!name) throw new CliError(`users ${action} needs the user's NAME\n${USAGE}`);
    return name;
  };
  if (!['add', 'update', 'list', 'disable'].includes(action ?? '')) throw new CliError(USAGE, 2);
  const store = await openStoreFromFlags(values, io.env);
  try {
    const show = (user: UserRecord) => io.out(values.json ? JSON.stringify(user) : describe(user));
    if (action === 'list') {
      const active = values.disabled ? false : values.active === undefined ? undefined : true;
      const users: UserRecord[] = [];
      for (let after = ''; ; ) {
        const page = await store.read((tx) =>
          tx.listUsers({ after, limit: 500, ...(active === undefined ? {} : { active }) }),
        );
        users.push(...page);
        if (page.length < 500) break;
        after = page.at(-1)?.name ?? '';
      }
      if (values.json) io.out(JSON.stringify(users));
      else for (const user of users) show(user);
      return 0;
    }
    const target = needName();
    const fields = fieldsFrom(values);
    const user = await store.transaction(async (tx) => {
      if (action === 'add') return addUser(tx, target, fields);
      if (action === 'update') return updateUser(tx, target, fields);
      if (!(await findUser(tx, target))) throw new CliError(`No user ${target}`);
      return disableUser(tx, target);
    });
    show(user);
    return 0;
  } finally {
    await store.close();
  }
}
