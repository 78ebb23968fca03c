import { createHash, randomBytes } from 'node:crypto';
import type { Role, SessionRecord, Store, StoreTx } from '../store/store-types.js';

/** How long sessions last (the `sessions.*` server options). */
export interface SessionSettings {
  /** A session without a request for this long ends (default 30 minutes). */
  idleTimeoutMs: number;
  /** A browser session ends this long after sign-in (default 12 hours). */
  absoluteTimeoutMs: number;
  /** A `countersign login` token lasts this long (default 8 hours). */
  cliTimeoutMs: number;
}

/** The defaults of {@link SessionSettings}. */
export const DEFAULT_SESSION_SETTINGS: SessionSettings = {
  idleTimeoutMs: 30 * 60_000,
  absoluteTimeoutMs: 12 * 3_600_000,
  cliTimeoutMs: 8 * 3_600_000,
};

/** Session tokens: `css_` and 32 random bytes, base64url. */
export const SESSION_TOKEN = /^css_[A-Za-z0-9_-]{43}$/;

/** The stored id of a session token (its SHA-256), so a database copy holds no live session. */
export function sessionIdOf(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** The key id a session's principal carries: rate limits, open waits and revocations use it. */
export function sessionKeyId(sessionId: string): string {
  return `session:${sessionId}`;
}

/** The person a new session is for. */
export interface SessionOwner {
  name: string;
  role: Role;
  groups: string[];
}

/** Creates a session row; the returned token is the only time it exists in clear. */
export async function startSession(
  tx: StoreTx,
  owner: SessionOwner,
  kind: SessionRecord['kind'],
  settings: SessionSettings,
  now: number,
): Promise<{ token: string; session: SessionRecord }> {
  const token = `css_${randomBytes(32).toString('base64url')}`;
  const lifetime = kind === 'cli' ? settings.cliTimeoutMs : settings.absoluteTimeoutMs;
  const session: SessionRecord = {
    id: sessionIdOf(token),
    userName: owner.name,
    role: owner.role,
    groups: owner.groups,
    kind,
    csrfToken: randomBytes(24).toString('base64url'),
    createdAt: now,
    lastSeenAt: now,
    expiresAt: now + lifetime,
  };
  // Each sign-in clears the user's sessions dead for a day, so rows do not pile up.
  await tx.purgeSessionsOf(owner.name, now - 86_400_000);
  await tx.insertSession(session);
  return { token, session };
}

/** Why a stored session no longer works, or undefined while it does. */
export function sessionProblem(
  session: SessionRecord,
  settings: SessionSettings,
  now: number,
): string | undefined {
  if (session.endedAt !== undefined) return 'The session was signed out';
  if (now >= session.expiresAt) return 'The session has expired; sign in again';
  // CLI tokens are short-lived already; idle scripts between commands keep them.
  if (session.kind === 'browser' && now - session.lastSeenAt >= settings.idleTimeoutMs) {
    return 'The session ended after a period without activity; sign in again';
  }
  return undefined;
}

/**
 * The live session of `token` (touched when it was last seen a while ago), or the reason it does
 * not work. Touching at most every minute keeps the idle clock right without a write per request.
 */
export async function resumeSession(
  store: Store,
  token: string,
  settings: SessionSettings,
  now: number,
): Promise<SessionRecord | string> {
  if (!SESSION_TOKEN.test(token)) return 'The session token is malformed';
  const id = sessionIdOf(token);
  const session = await store.read((tx) => tx.getSession(id));
  if (!session) return 'The session is unknown; sign in again';
  const problem = sessionProblem(session, settings, now);
  if (problem) return problem;
  if (now - session.lastSeenAt >= Math.min(60_000, settings.idleTimeoutMs / 10)) {
    await store.transaction((tx) => tx.touchSession(id, now));
  }
  return session;
}
