import { describe, expect, it } from 'vitest';
import type { JsonSchema } from './json-schema';
import { validateJsonSchema } from './validate-json-schema';

const transfer: JsonSchema = {
  type: 'object',
  required: ['to', 'amount'],
  additionalProperties: false,
  properties: {
    to: { type: 'string', format: 'email' },
    amount: { type: 'integer', minimum: 1, maximum: 1000 },
    currency: { enum: ['EUR', 'USD'] },
    tags: { type: 'array', items: { type: 'string', minLength: 2 }, maxItems: 2 },
  },
};

describe('validateJsonSchema', () => {
  it('accepts a valid value', () => {
    expect(validateJsonSchema(transfer, { to: 'a@b.test', amount: 5, currency: 'EUR' })).toEqual(
      [],
    );
  });

  it('names each problem with its path', () => {
    const issues = validateJsonSchema(transfer, {
      to: 'nobody',
      amount: 1.5,
      currency: 'GBP',
      tags: ['ok', 'x', 'yy'],
      extra: true,
    });
    expect(issues).toEqual([
      { path: 'to', message: 'Must be an email address' },
      { path: 'amount', message: 'Expected integer, got number' },
      { path: 'currency', message: 'Must be one of "EUR", "USD"' },
      { path: 'tags', message: 'Allows at most 2 items' },
      { path: 'tags[1]', message: 'Must be at least 2 characters' },
      { path: 'extra', message: 'Not an allowed field' },
    ]);
  });

  it('reports missing required fields and range errors', () => {
    expect(validateJsonSchema(transfer, { amount: 5000 })).toEqual([
      { path: 'to', message: 'Required' },
      { path: 'amount', message: 'Must be at most 1000' },
    ]);
  });

  it('checks anyOf alternatives and nullable types', () => {
    const schema: JsonSchema = { anyOf: [{ type: 'string' }, { type: 'integer' }] };
    expect(validateJsonSchema(schema, 3)).toEqual([]);
    expect(validateJsonSchema(schema, true)).toHaveLength(1);
    expect(validateJsonSchema({ type: ['string', 'null'] }, null)).toEqual([]);
  });
});
