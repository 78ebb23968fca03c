import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import { SQLITE } from './sql/dialect.js';
import type { SqlSession } from './sql/sql-session.js';
import { bindValues, type Parameters, type Query, render } from './sql/sql-template.js';

/**
 * The store's queries on the one SQLite connection, each prepared once. Transactions already run
 * one at a time on that connection, so the locks other databases need are no-ops here.
 */
export class SqliteSession implements SqlSession {
  readonly locking: boolean;
  readonly #db: DatabaseSync;
  readonly #prepared: Map<string, StatementSync>;

  constructor(db: DatabaseSync, prepared: Map<string, StatementSync>, locking: boolean) {
    this.#db = db;
    this.#prepared = prepared;
    this.locking = locking;
  }

  #statement(query: Query, parameters: Parameters): [StatementSync, SQLInputValue[]] {
    const rendered = render(query, SQLITE);
    let statement = this.#prepared.get(rendered.text);
    if (!statement) {
      statement = this.#db.prepare(rendered.text);
      this.#prepared.set(rendered.text, statement);
    }
    return [statement, bindValues(rendered, SQLITE, parameters) as SQLInputValue[]];
  }

  async rows<T>(query: Query, parameters: Parameters = {}): Promise<T[]> {
    const [statement, values] = this.#statement(query, parameters);
    return statement.all(...values) as T[];
  }

  async one<T>(query: Query, parameters: Parameters = {}): Promise<T | undefined> {
    const [statement, values] = this.#statement(query, parameters);
    return statement.get(...values) as T | undefined;
  }

  async run(query: Query, parameters: Parameters = {}): Promise<number> {
    const [statement, values] = this.#statement(query, parameters);
    return Number(statement.run(...values).changes);
  }

  async write(query: Query, parameters: Parameters = {}): Promise<void> {
    await this.run(query, parameters);
  }

  async lockLog(): Promise<undefined> {
    return undefined;
  }

  async lockName(_name: string): Promise<void> {}

  async eventAppended(_id: number): Promise<void> {}
}
