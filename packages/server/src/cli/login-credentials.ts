import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** A token from `countersign login`, for one server. */
export interface StoredLogin {
  /** The server it works on, as given to `login --url`. */
  url: string;
  /** `css_…`, sent as `Authorization: Bearer`. */
  token: string;
  /** `user:NAME` */
  principal: string;
  /** ISO-8601 end of the token. */
  expiresAt: string;
}

interface CredentialsFile {
  logins: Record<string, StoredLogin>;
}

/** `$XDG_CONFIG_HOME/countersign/credentials.json`, or `~/.config/countersign/credentials.json`. */
export function credentialsPath(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'countersign', 'credentials.json');
}

/** The server URL as logins are filed under it (no trailing slash). */
export const serverKey = (url: string) => url.replace(/\/+$/, '');

async function readCredentials(env: NodeJS.ProcessEnv): Promise<CredentialsFile> {
  try {
    const parsed = JSON.parse(await readFile(credentialsPath(env), 'utf8')) as CredentialsFile;
    return typeof parsed.logins === 'object' && parsed.logins !== null ? parsed : { logins: {} };
  } catch {
    return { logins: {} };
  }
}

/** Writes the file readable by its owner only (0600, in a 0700 folder), replacing it atomically. */
async function writeCredentials(env: NodeJS.ProcessEnv, file: CredentialsFile): Promise<void> {
  const path = credentialsPath(env);
  const folder = join(path, '..');
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, path);
}

/** The stored login for `url`, or (without `url`) the only one stored. */
export async function findLogin(
  env: NodeJS.ProcessEnv,
  url: string | undefined,
): Promise<StoredLogin | undefined> {
  const { logins } = await readCredentials(env);
  if (url !== undefined) return logins[serverKey(url)];
  const all = Object.values(logins);
  return all.length === 1 ? all[0] : undefined;
}

/** Keeps a login (replacing an earlier one for the same server). */
export async function saveLogin(env: NodeJS.ProcessEnv, login: StoredLogin): Promise<void> {
  const file = await readCredentials(env);
  file.logins[serverKey(login.url)] = { ...login, url: serverKey(login.url) };
  await writeCredentials(env, file);
}

/** Forgets the login for `url`; false when there was none. */
export async function forgetLogin(env: NodeJS.ProcessEnv, url: string): Promise<boolean> {
  const file = await readCredentials(env);
  if (!file.logins[serverKey(url)]) return false;
  delete file.logins[serverKey(url)];
  await writeCredentials(env, file);
  return true;
}
