import {
  CountersignError,
  FingerprintMismatchError,
  LOCAL_ERROR_CODES,
} from '@countersign/core/protocol';
import { describe, expect, it } from 'vitest';
import { errorBody } from './http-errors.js';

describe('errorBody', () => {
  it('answers a wire code with its status from the core table', () => {
    const logged: unknown[] = [];
    const conflict = new CountersignError('version_conflict', {
      message: 'stale',
      details: { v: 2 },
    });
    expect(errorBody(conflict, (error) => logged.push(error))).toEqual({
      status: 409,
      body: { error: { code: 'version_conflict', message: 'stale', details: { v: 2 } } },
      headers: {},
    });
    expect(logged).toEqual([]);
  });

  it('never puts a local code on the wire: a bare 500, and the error is logged', () => {
    for (const code of LOCAL_ERROR_CODES) {
      const logged: unknown[] = [];
      const error = new CountersignError(code, { message: 'secret detail' });
      expect(errorBody(error, (value) => logged.push(value))).toEqual({
        status: 500,
        body: { error: { code: 'internal', message: 'Internal server error', details: {} } },
        headers: {},
      });
      expect(logged).toEqual([error]);
    }
    const mismatch = new FingerprintMismatchError({ expected: 'a', actual: 'b' });
    expect(errorBody(mismatch, () => undefined).status).toBe(500);
  });
});
