import { CountersignError } from '@countersign/core/protocol';
import { openConfiguredStore, POSTGRES_URL, redactUrl } from '../store/open-configured-store.js';
import type { Store } from '../store/store-types.js';
import { CliError, dbPathFrom } from './cli-support.js';

/** The store options every database command accepts. */
export const STORE_OPTIONS = {
  db: { type: 'string' },
  'database-url': { type: 'string' },
  schema: { type: 'string' },
} as const;

/** Parsed values of {@link STORE_OPTIONS}. */
export interface StoreFlags {
  db?: string | undefined;
  'database-url'?: string | undefined;
  schema?: string | undefined;
}

/**
 * Opens PostgreSQL when `--database-url` or `COUNTERSIGN_DATABASE_URL` is given (schema from
 * `--schema` or `COUNTERSIGN_DATABASE_SCHEMA`), otherwise the SQLite file from `--db`.
 */
export async function openStoreFromFlags(
  flags: StoreFlags,
  env: NodeJS.ProcessEnv,
): Promise<Store> {
  const url = flags['database-url'] ?? env.COUNTERSIGN_DATABASE_URL;
  const schema = flags.schema ?? env.COUNTERSIGN_DATABASE_SCHEMA;
  if (!url) {
    if (flags.schema !== undefined) throw new CliError('--schema needs --database-url');
    return openConfiguredStore({ dbPath: dbPathFrom(flags.db, env) });
  }
  if (flags.db !== undefined) throw new CliError('Give either --db or --database-url, not both');
  if (!POSTGRES_URL.test(url)) {
    throw new CliError(`The database URL must start with postgres://, not "${redactUrl(url)}"`);
  }
  return withCliMessages(() => openConfiguredStore({ databaseUrl: url, databaseSchema: schema }));
}

/** A Countersign error as a one-line CLI message without its code; other errors as they are. */
export function asCliError(error: unknown): unknown {
  return CountersignError.isInstance(error) ? new CliError(error.message) : error;
}

/** Runs `open`, reporting a Countersign error through {@link asCliError}. */
export async function withCliMessages<T>(open: () => Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (error) {
    throw asCliError(error);
  }
}
