import { toUser, type UserMethods, type UserRow, userColumns } from '../store-rows.js';
import { USERS } from './queries.js';
import type { SqlSession } from './sql-session.js';
import type { Parameters, Query } from './sql-template.js';

/** The people directory. */
export function userMethods(db: SqlSession): UserMethods {
  const first = async (query: Query, parameters: Parameters) => {
    const row = await db.one<UserRow>(query, parameters);
    return row ? toUser(row) : undefined;
  };
  return {
    getUser: (name) => first(USERS.get, { name }),
    findUserByEmail: (email) => first(USERS.byEmail, { email }),
    findUserBySlackId: (slackUserId) => first(USERS.bySlackId, { slackUserId }),
    async listUsers({ after = '', active, limit }) {
      const rows =
        active === undefined
          ? await db.rows<UserRow>(USERS.list, { after, limit })
          : await db.rows<UserRow>(USERS.listByState, { after, active, limit });
      return rows.map(toUser);
    },
    async listActiveMembers(groups) {
      if (groups.length === 0) return [];
      return (await db.rows<UserRow>(USERS.activeMembers, { groups })).map(toUser);
    },
    async insertUser(user) {
      await db.run(USERS.insert, userColumns(user));
    },
    async updateUser(user) {
      return (await db.run(USERS.update, userColumns(user))) === 1;
    },
  };
}
