import { describe, expect, it } from 'vitest';
import { amountInWords, integerInWords, maskedHeaders, sqlWarnings } from './preview-facts.js';

describe('amountInWords', () => {
  it('writes an amount as on a cheque, minor units included', () => {
    expect(amountInWords(12500.5, 'usd')).toBe(
      'twelve thousand five hundred US dollars and fifty cents',
    );
    expect(amountInWords('1000000', 'EUR')).toBe('one million euros');
    expect(amountInWords(0.07, 'GBP')).toBe('zero pounds sterling and seven pence');
    expect(amountInWords(-42, 'XYZ')).toBe('minus forty-two XYZ');
    expect(integerInWords(1_234_567_891)).toBe(
      'one billion two hundred thirty-four million five hundred sixty-seven thousand eight hundred ninety-one',
    );
  });

  it('says nothing for what is not an amount', () => {
    expect(amountInWords('ten', 'USD')).toBeUndefined();
    expect(amountInWords(Number.NaN)).toBeUndefined();
    expect(amountInWords({})).toBeUndefined();
  });
});

describe('sqlWarnings', () => {
  it('warns of UPDATE and DELETE without WHERE, and of DROP and TRUNCATE', () => {
    expect(sqlWarnings('DELETE FROM users')).toEqual([
      'DELETE without WHERE: it changes every row of the table',
    ]);
    expect(sqlWarnings('update accounts set balance = 0 -- where id = 1\n')).toHaveLength(1);
    expect(sqlWarnings('DROP TABLE audit; TRUNCATE logs')).toHaveLength(2);
  });

  it('is quiet for a bounded change, and is not fooled by a WHERE inside a string', () => {
    expect(sqlWarnings('UPDATE users SET name = $1 WHERE id = $2')).toEqual([]);
    expect(sqlWarnings('SELECT * FROM users')).toEqual([]);
    expect(sqlWarnings("UPDATE users SET note = 'where'")).toHaveLength(1);
  });
});

describe('maskedHeaders', () => {
  it('masks the values of credentials and keeps the rest', () => {
    expect(
      maskedHeaders({ Authorization: 'Bearer abc', 'X-Api-Key': 'k', Accept: 'application/json' }),
    ).toEqual([
      ['Authorization', '••••••'],
      ['X-Api-Key', '••••••'],
      ['Accept', 'application/json'],
    ]);
    expect(maskedHeaders('not headers')).toEqual([]);
  });
});
