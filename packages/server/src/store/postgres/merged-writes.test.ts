import { describe, expect, it } from 'vitest';
import { mergedWrites } from './merged-writes.js';

describe('merged writes', () => {
  it('joins consecutive inserts into one statement, renumbering their parameters', () => {
    expect(
      mergedWrites([
        { text: 'INSERT INTO a (x, y) VALUES ($1, $2)', values: [1, 2] },
        { text: 'INSERT INTO b (x) VALUES ($1)', values: [3] },
        { text: 'INSERT INTO c (x, y) VALUES ($2, $1)', values: [4, 5] },
      ]),
    ).toEqual([
      {
        text:
          'WITH w1 AS (INSERT INTO a (x, y) VALUES ($1, $2)), w2 AS (INSERT INTO b (x) VALUES ($3)) ' +
          'INSERT INTO c (x, y) VALUES ($5, $4)',
        values: [1, 2, 3, 4, 5],
      },
    ]);
  });

  it('keeps any other write on its own and in its place, so it sees the inserts before it', () => {
    const insert = (table: string) => ({
      text: `INSERT INTO ${table} VALUES ($1)`,
      values: [table],
    });
    const remove = { text: 'DELETE FROM jobs WHERE id = $1', values: [7] };
    expect(mergedWrites([insert('a'), remove, insert('b')])).toEqual([
      insert('a'),
      remove,
      insert('b'),
    ]);
    expect(mergedWrites([])).toEqual([]);
  });

  it('starts a new statement at a second insert into the same table, keeping its key order', () => {
    const insert = (table: string, value: number) => ({
      text: `INSERT INTO ${table} VALUES ($1)`,
      values: [value],
    });
    expect(mergedWrites([insert('a', 1), insert('b', 2), insert('a', 3)])).toEqual([
      { text: 'WITH w1 AS (INSERT INTO a VALUES ($1)) INSERT INTO b VALUES ($2)', values: [1, 2] },
      insert('a', 3),
    ]);
  });
});
