import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as original from './index.js';

type ErrorsModule = typeof original;

// Two bundles that each inline their own copy of core, minified: the classes are different
// objects, and a minifier renames them to short names that collide across bundles.
let folder: string;
let copy: ErrorsModule;

async function loadSecondCopy(): Promise<ErrorsModule> {
  folder = await mkdtemp(join(tmpdir(), 'countersign-errors-copy-'));
  const source = new URL('.', import.meta.url);
  for (const file of await readdir(source)) {
    if (file.endsWith('.ts') && !file.endsWith('.test.ts')) {
      await copyFile(new URL(file, source), join(folder, file));
    }
  }
  return (await import(`${pathToFileURL(join(folder, 'index.ts')).href}?copy=2`)) as ErrorsModule;
}

const errorClasses = [
  'CountersignError',
  'RejectedError',
  'ExpiredError',
  'CancelledError',
  'ServiceUnavailableError',
  'InvalidResponseError',
  'PolicyInvalidError',
  'FingerprintMismatchError',
  'ApiError',
] as const;

/**
 * Renames every error class the way a minifier does, to `a`, `b`, …; each bundle picks its own
 * order, so one copy's `RejectedError` is named like the other copy's `CountersignError`.
 */
function mangle(module: ErrorsModule, shift: number): void {
  errorClasses.forEach((name, index) => {
    const letter = String.fromCharCode(97 + ((index + shift) % errorClasses.length));
    Object.defineProperty(module[name], 'name', { value: letter });
  });
}

beforeAll(async () => {
  copy = await loadSecondCopy();
  mangle(original, 0);
  mangle(copy, 1);
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('isInstance across bundled, minified copies', () => {
  it('really has two copies with mangled class names', () => {
    expect(copy.ApiError).not.toBe(original.ApiError);
    expect(original.RejectedError.name).toBe('b');
    expect(copy.CountersignError.name).toBe('b');
  });

  it('recognises an error from the other copy, by class and by base class', () => {
    const rejected = new copy.RejectedError({ requestId: 'r', reason: 'no' });
    expect(rejected).not.toBeInstanceOf(original.RejectedError);
    expect(original.RejectedError.isInstance(rejected)).toBe(true);
    expect(original.CountersignError.isInstance(rejected)).toBe(true);
    const api = new original.ApiError('not_found', { message: 'gone', status: 404 });
    expect(copy.ApiError.isInstance(api)).toBe(true);
    expect(copy.CountersignError.hasCode(api, 'not_found')).toBe(true);
  });

  it('does not confuse two classes whose mangled names collide', () => {
    const expired = new copy.ExpiredError({ requestId: 'r' });
    expect(copy.ExpiredError.name).toBe(original.CancelledError.name);
    expect(original.CancelledError.isInstance(expired)).toBe(false);
    expect(original.ExpiredError.isInstance(expired)).toBe(true);
    expect(original.RejectedError.isInstance(expired)).toBe(false);
  });

  it('keeps the readable name on the error itself', () => {
    const error = new copy.FingerprintMismatchError({ expected: 'a', actual: 'b' });
    expect(error.name).toBe('FingerprintMismatchError');
    expect(String(error)).toMatch(/^FingerprintMismatchError: /);
  });

  it('a subclass without an errorName of its own uses its Function.name, not its parent’s', () => {
    class TenantError extends copy.ApiError {}
    const tenant = new TenantError('forbidden', { message: 'other tenant', status: 403 });
    expect(tenant.name).toBe('TenantError');
    expect(original.ApiError.isInstance(tenant)).toBe(true);
    expect(
      TenantError.isInstance(new original.ApiError('forbidden', { message: 'x', status: 403 })),
    ).toBe(false);
  });
});
