import { diffJson } from './json-diff';
import { type JsonSchema, jsonTypeOf } from './json-schema';

/** One reason a value does not match its schema. */
export interface SchemaIssue {
  /** Where, as `recipient.email` or `items[2]`; empty for the whole value. */
  path: string;
  message: string;
}

function at(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path === '' ? key : `${path}.${key}`;
}

function typeMatches(expected: string, value: unknown): boolean {
  const actual = jsonTypeOf(value);
  if (expected === 'number') return actual === 'number' || actual === 'integer';
  return actual === expected;
}

function checkType(
  schema: JsonSchema,
  value: unknown,
  path: string,
  issues: SchemaIssue[],
): boolean {
  if (schema.type === undefined) return true;
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (types.some((type) => typeMatches(type, value))) return true;
  issues.push({ path, message: `Expected ${types.join(' or ')}, got ${jsonTypeOf(value)}` });
  return false;
}

function checkString(schema: JsonSchema, value: string, path: string, issues: SchemaIssue[]) {
  const length = [...value].length;
  if (schema.minLength !== undefined && length < schema.minLength) {
    issues.push({ path, message: `Must be at least ${schema.minLength} characters` });
  }
  if (schema.maxLength !== undefined && length > schema.maxLength) {
    issues.push({ path, message: `Must be at most ${schema.maxLength} characters` });
  }
  if (schema.pattern !== undefined) {
    let pattern: RegExp | undefined;
    try {
      pattern = new RegExp(schema.pattern, 'u');
    } catch {
      pattern = undefined; // The server validates patterns the browser cannot compile.
    }
    if (pattern && !pattern.test(value)) {
      issues.push({ path, message: `Must match the pattern ${schema.pattern}` });
    }
  }
  if (schema.format === 'email' && !/^[^@\s]+@[^@\s]+$/.test(value)) {
    issues.push({ path, message: 'Must be an email address' });
  }
}

function checkNumber(schema: JsonSchema, value: number, path: string, issues: SchemaIssue[]) {
  if (schema.minimum !== undefined && value < schema.minimum) {
    issues.push({ path, message: `Must be at least ${schema.minimum}` });
  }
  if (schema.maximum !== undefined && value > schema.maximum) {
    issues.push({ path, message: `Must be at most ${schema.maximum}` });
  }
  if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) {
    issues.push({ path, message: `Must be more than ${schema.exclusiveMinimum}` });
  }
  if (schema.exclusiveMaximum !== undefined && value >= schema.exclusiveMaximum) {
    issues.push({ path, message: `Must be less than ${schema.exclusiveMaximum}` });
  }
}

function checkObject(
  schema: JsonSchema,
  value: Record<string, unknown>,
  path: string,
  issues: SchemaIssue[],
) {
  for (const key of schema.required ?? []) {
    if (!Object.hasOwn(value, key)) issues.push({ path: at(path, key), message: 'Required' });
  }
  for (const [key, item] of Object.entries(value)) {
    const property = schema.properties?.[key];
    if (property) collect(property, item, at(path, key), issues);
    else if (schema.additionalProperties === false) {
      issues.push({ path: at(path, key), message: 'Not an allowed field' });
    } else if (typeof schema.additionalProperties === 'object') {
      collect(schema.additionalProperties, item, at(path, key), issues);
    }
  }
}

function checkArray(schema: JsonSchema, value: unknown[], path: string, issues: SchemaIssue[]) {
  if (schema.minItems !== undefined && value.length < schema.minItems) {
    issues.push({ path, message: `Needs at least ${schema.minItems} items` });
  }
  if (schema.maxItems !== undefined && value.length > schema.maxItems) {
    issues.push({ path, message: `Allows at most ${schema.maxItems} items` });
  }
  if (schema.items) {
    const items = schema.items;
    for (const [index, item] of value.entries()) collect(items, item, at(path, index), issues);
  }
}

function collect(schema: JsonSchema, value: unknown, path: string, issues: SchemaIssue[]): void {
  if (!checkType(schema, value, path, issues)) return;
  if (schema.enum && !schema.enum.some((option) => diffJson(option, value).length === 0)) {
    issues.push({
      path,
      message: `Must be one of ${schema.enum.map((o) => JSON.stringify(o)).join(', ')}`,
    });
  }
  if (schema.const !== undefined && diffJson(schema.const, value).length > 0) {
    issues.push({ path, message: `Must be ${JSON.stringify(schema.const)}` });
  }
  if (typeof value === 'string') checkString(schema, value, path, issues);
  if (typeof value === 'number') checkNumber(schema, value, path, issues);
  if (Array.isArray(value)) checkArray(schema, value, path, issues);
  else if (typeof value === 'object' && value !== null) {
    checkObject(schema, value as Record<string, unknown>, path, issues);
  }
  for (const part of schema.allOf ?? []) collect(part, value, path, issues);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (
    alternatives &&
    !alternatives.some((option) => validateJsonSchema(option, value).length === 0)
  ) {
    issues.push({ path, message: 'Does not match any allowed shape' });
  }
}

/**
 * Validates a value against the common JSON Schema keywords, so a reviewer sees mistakes before
 * submitting. The server validates again with a complete validator: this is a first check only.
 */
export function validateJsonSchema(schema: JsonSchema, value: unknown): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  collect(schema, value, '', issues);
  return issues;
}
