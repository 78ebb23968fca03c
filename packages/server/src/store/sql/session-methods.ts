import type { Role, SessionRecord, StoreTx } from '../store-types.js';
import { SESSIONS, SIGN_IN_ATTEMPTS } from './queries.js';
import type { SqlSession } from './sql-session.js';

/** The session and sign-in methods of a store. */
export type SessionMethods = Pick<
  StoreTx,
  | 'insertSession'
  | 'getSession'
  | 'touchSession'
  | 'endSession'
  | 'purgeSessionsOf'
  | 'insertSignInAttempt'
  | 'takeSignInAttempt'
>;

interface SessionRow {
  id: string;
  user_name: string;
  role: Role;
  groups: string;
  kind: SessionRecord['kind'];
  csrf_token: string;
  created_at: number | string;
  last_seen_at: number | string;
  expires_at: number | string;
  ended_at: number | string | null;
}

interface AttemptRow {
  state: string;
  code_verifier: string;
  nonce: string;
  return_to: string;
  created_at: number | string;
}

const toSession = (row: SessionRow): SessionRecord => ({
  id: row.id,
  userName: row.user_name,
  role: row.role,
  groups: JSON.parse(row.groups) as string[],
  kind: row.kind,
  csrfToken: row.csrf_token,
  createdAt: Number(row.created_at),
  lastSeenAt: Number(row.last_seen_at),
  expiresAt: Number(row.expires_at),
  ...(row.ended_at === null ? {} : { endedAt: Number(row.ended_at) }),
});

/** Reviewer sessions and sign-ins in progress, the same on SQLite and PostgreSQL. */
export function sessionMethods(db: SqlSession): SessionMethods {
  return {
    async insertSession(session) {
      await db.run(SESSIONS.insert, { ...session, groups: JSON.stringify(session.groups) });
    },
    async getSession(id) {
      const row = await db.one<SessionRow>(SESSIONS.get, { id });
      return row ? toSession(row) : undefined;
    },
    async touchSession(id, at) {
      await db.run(SESSIONS.touch, { id, at });
    },
    async endSession(id, at) {
      return (await db.run(SESSIONS.end, { id, at })) === 1;
    },
    async purgeSessionsOf(userName, before) {
      await db.run(SESSIONS.purgeOf, { userName, before });
    },
    async insertSignInAttempt(attempt, purgeBefore) {
      await db.run(SIGN_IN_ATTEMPTS.purge, { before: purgeBefore });
      await db.run(SIGN_IN_ATTEMPTS.insert, { ...attempt });
    },
    async takeSignInAttempt(state) {
      const row = await db.one<AttemptRow>(SIGN_IN_ATTEMPTS.get, { state });
      if (!row || (await db.run(SIGN_IN_ATTEMPTS.delete, { state })) !== 1) return undefined;
      return {
        state: row.state,
        codeVerifier: row.code_verifier,
        nonce: row.nonce,
        returnTo: row.return_to,
        createdAt: Number(row.created_at),
      };
    },
  };
}
