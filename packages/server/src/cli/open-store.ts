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

/** The URL without its password, for messages. */
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'the given URL';
  }
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
    const { openSqliteStore } = await import('../store/sqlite-store.js');
    return openSqliteStore({ path: dbPathFrom(flags.db, env) });
  }
  if (flags.db !== undefined) throw new CliError('Give either --db or --database-url, not both');
  if (!/^postgres(ql)?:\/\//.test(url)) {
    throw new CliError(`The database URL must start with postgres://, not "${redact(url)}"`);
  }
  const { openPostgresStore } = await import('../store/postgres/postgres-store.js');
  try {
    return await openPostgresStore({
      connectionString: url,
      ...(schema === undefined ? {} : { schema }),
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CliError(`Cannot open PostgreSQL at ${redact(url)}: ${reason}`);
  }
}
