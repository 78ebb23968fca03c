import { CountersignError } from '@countersign/core/protocol';
import type { GroupCommitOptions } from './group-commit.js';
import type { Store } from './store-types.js';

/** What a PostgreSQL connection URL starts with. */
export const POSTGRES_URL = /^postgres(ql)?:\/\//;

/** The URL with its password (and any `password` parameter) masked, for messages and output. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    if (parsed.searchParams.has('password')) parsed.searchParams.set('password', '***');
    return parsed.toString();
  } catch {
    return 'the given URL';
  }
}

/** Where the server keeps its data. */
export interface StoreLocation {
  /** SQLite file, used when no `databaseUrl` is given (default `./countersign.db`). */
  dbPath?: string | undefined;
  /** PostgreSQL connection URL; replaces the SQLite file. */
  databaseUrl?: string | undefined;
  /** PostgreSQL schema (default `countersign`). */
  databaseSchema?: string | undefined;
  /** How concurrent state changes share commits (both databases). */
  groupCommit?: GroupCommitOptions | undefined;
}

/**
 * Opens PostgreSQL when a `databaseUrl` is given, otherwise the SQLite file. A database that cannot
 * be opened is a `service_unavailable` error naming the URL without its password.
 */
export async function openConfiguredStore(location: StoreLocation): Promise<Store> {
  const url = location.databaseUrl;
  if (!url) {
    const { openSqliteStore } = await import('./sqlite-store.js');
    return openSqliteStore({
      path: location.dbPath ?? './countersign.db',
      ...(location.groupCommit ? { groupCommit: location.groupCommit } : {}),
    });
  }
  const { openPostgresStore } = await import('./postgres/postgres-store.js');
  try {
    return await openPostgresStore({
      connectionString: url,
      ...(location.databaseSchema === undefined ? {} : { schema: location.databaseSchema }),
      ...(location.groupCommit ? { groupCommit: location.groupCommit } : {}),
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CountersignError('service_unavailable', {
      message: `Cannot open PostgreSQL at ${redactUrl(url)}: ${reason}`,
      cause: error,
    });
  }
}
