import { describe, expect, it } from 'vitest';
import {
  booleanParameter,
  inList,
  jsonArrayIsEmpty,
  POSTGRES,
  SQLITE,
  skipLocked,
} from './dialect.js';
import { allOf, anyOf, bindValues, render, sql } from './sql-template.js';

describe('one query, rendered per database', () => {
  const query = sql`SELECT id FROM t WHERE a = :a AND ${inList('id', 'ids')} AND b > :a
    AND flag = ${booleanParameter('flag')} LIMIT :limit${skipLocked}`;
  const parameters = { a: 'x', ids: ['1', '2'], flag: true, limit: 5, unused: 'ignored' };

  it('numbers each parameter once, in order, and encodes lists and booleans for SQLite', () => {
    const rendered = render(query, SQLITE);
    expect(
      rendered.text,
    ).toBe(`SELECT id FROM t WHERE a = ?1 AND id IN (SELECT value FROM json_each(?2)) AND b > ?1
    AND flag = ?3 LIMIT ?4`);
    expect(bindValues(rendered, SQLITE, parameters)).toEqual(['x', '["1","2"]', 1, 5]);
  });

  it('uses $n, arrays, booleans and row locks on PostgreSQL', () => {
    const rendered = render(query, POSTGRES);
    expect(rendered.text).toBe(`SELECT id FROM t WHERE a = $1 AND id = ANY($2) AND b > $1
    AND flag = $3 LIMIT $4 FOR UPDATE SKIP LOCKED`);
    expect(bindValues(rendered, POSTGRES, parameters)).toEqual(['x', ['1', '2'], true, 5]);
  });

  it('renders a query once per database', () => {
    expect(render(query, SQLITE)).toBe(render(query, SQLITE));
    expect(render(query, POSTGRES)).not.toBe(render(query, SQLITE));
  });

  it('joins conditions, leaves casts alone, and has a neutral value for none', () => {
    const conditions = [sql`a = :a`, sql`${jsonArrayIsEmpty('tags')}`];
    expect(render(sql`WHERE ${allOf(conditions)}`, POSTGRES).text).toBe(
      `WHERE a = $1 AND tags = '[]'::jsonb`,
    );
    expect(render(sql`WHERE ${anyOf(conditions)}`, SQLITE).text).toBe(
      `WHERE (a = ?1 OR tags = '[]')`,
    );
    expect(render(sql`WHERE ${allOf([])} AND ${anyOf([])}`, SQLITE).text).toBe(
      'WHERE TRUE AND FALSE',
    );
  });

  it('refuses a missing parameter and one name bound two ways', () => {
    expect(() => bindValues(render(sql`SELECT :a`, SQLITE), SQLITE, {})).toThrow(':a');
    expect(() => render(sql`SELECT :a, ${inList('x', 'a')}`, SQLITE)).toThrow(':a');
  });
});
