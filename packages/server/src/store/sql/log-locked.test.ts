import { describe, expect, it } from 'vitest';
import { POSTGRES } from './dialect.js';
import * as queries from './queries.js';
import { Query, render } from './sql-template.js';

const statements = Object.entries(queries).flatMap(([group, members]) =>
  members instanceof Query || members === queries.LOG_LOCKED
    ? []
    : Object.entries(members)
        .filter((entry): entry is [string, Query] => entry[1] instanceof Query)
        .map(([name, query]) => ({ name: `${group}.${name}`, query })),
);
const LOCKED_TABLES = /^\s*(INSERT INTO|UPDATE|DELETE FROM)\s+(stops|webhooks|signing_keys)\b/i;

describe('tables kept under the log lock', () => {
  it('lists every statement that writes them, so each takes the lock', () => {
    const writes = statements.filter(({ query }) =>
      LOCKED_TABLES.test(render(query, POSTGRES).text),
    );
    expect(writes.length).toBeGreaterThan(0);
    for (const { name, query } of writes) {
      expect(queries.LOG_LOCKED.writes.has(query), name).toBe(true);
    }
    expect(queries.LOG_LOCKED.writes.size).toBe(writes.length);
  });

  it('keeps only reads without parameters, which one set of rows answers', () => {
    for (const query of queries.LOG_LOCKED.reads) {
      const rendered = render(query, POSTGRES);
      expect(rendered.text).toMatch(/^SELECT /);
      expect(rendered.slots).toEqual([]);
    }
  });
});
