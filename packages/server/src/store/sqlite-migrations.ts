import type { DatabaseSync } from 'node:sqlite';
import { SQLITE } from './sql/dialect.js';
import { MIGRATIONS } from './sql/schema.js';
import { type Query, render } from './sql/sql-template.js';

/** Brings the database schema up to date, inside one transaction. */
export function migrate(db: DatabaseSync): void {
  const row = db.prepare('PRAGMA user_version').get() as { user_version: number };
  const current = row.user_version;
  if (current > MIGRATIONS.length) {
    throw new Error(
      `The database schema (version ${current}) is newer than this server (${MIGRATIONS.length})`,
    );
  }
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(render(MIGRATIONS[version] as Query, SQLITE).text);
      db.exec(`PRAGMA user_version = ${version + 1}`);
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
  }
}
