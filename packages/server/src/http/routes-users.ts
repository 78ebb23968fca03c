import { Hono } from 'hono';
import { addUser, disableUser, findUser, updateUser } from '../people/user-directory.js';
import { fail } from '../service/failures.js';
import type { ServiceContext } from '../service/service-context.js';
import type { UserRecord } from '../store/store-types.js';
import { type AppEnv, requireRole } from './auth-middleware.js';
import { readJson, readQuery } from './read-input.js';
import { createUserBodySchema, updateUserBodySchema, userListQuerySchema } from './user-schemas.js';

/** Admin-only people directory, mounted at `/v1/users`. */
export function userRoutes(context: ServiceContext): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('*', requireRole('admin'));
  const { store, clock, bus } = context;
  const now = () => new Date(clock.now());
  // Live streams and long-polls of a disabled user's keys end at once, in this process.
  const announce = (user: UserRecord) => {
    if (user.active) bus.enableUser(user.name);
    else bus.disableUser(user.name);
    return user;
  };

  app.get('/', async (c) => {
    const query = readQuery(c, userListQuerySchema);
    const items = await store.read((tx) => tx.listUsers(query));
    const last = items.length === query.limit ? items.at(-1)?.name : undefined;
    return c.json({ items, nextAfter: last ?? null });
  });
  app.post('/', async (c) => {
    const { name, ...fields } = await readJson(c, createUserBodySchema);
    return c.json(await store.transaction((tx) => addUser(tx, name, fields, now())), 201);
  });
  app.get('/:name', async (c) => {
    const name = c.req.param('name');
    const user = await store.read((tx) => findUser(tx, name));
    if (!user) throw fail('not_found', `No user ${name}`, { user: name });
    return c.json(user);
  });
  app.patch('/:name', async (c) => {
    const patch = await readJson(c, updateUserBodySchema);
    const name = c.req.param('name');
    return c.json(announce(await store.transaction((tx) => updateUser(tx, name, patch, now()))));
  });
  app.post('/:name/disable', async (c) => {
    const name = c.req.param('name');
    return c.json(announce(await store.transaction((tx) => disableUser(tx, name, now()))));
  });
  return app;
}
