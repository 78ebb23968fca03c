import { describe, expect, it } from 'vitest';
import {
  ERROR_HTTP_STATUS,
  httpStatusForCode,
  isErrorCode,
  isWireErrorCode,
  LOCAL_ERROR_CODES,
  WIRE_ERROR_CODES,
} from './error-codes.js';

describe('error codes', () => {
  it('derives the wire list from the status table', () => {
    expect(WIRE_ERROR_CODES).toEqual(Object.keys(ERROR_HTTP_STATUS));
    expect(Object.isFrozen(WIRE_ERROR_CODES)).toBe(true);
    for (const code of WIRE_ERROR_CODES) {
      expect(httpStatusForCode(code)).toBeGreaterThanOrEqual(400);
      expect(isWireErrorCode(code)).toBe(true);
    }
  });

  it('gives local codes no HTTP status and keeps them apart from the wire codes', () => {
    for (const code of LOCAL_ERROR_CODES) {
      expect(Object.hasOwn(ERROR_HTTP_STATUS, code), code).toBe(false);
      expect(isWireErrorCode(code)).toBe(false);
      expect(isErrorCode(code)).toBe(true);
    }
  });

  it('refuses what is not a code', () => {
    for (const value of ['toString', 'constructor', 'nope', 42, undefined]) {
      expect(isErrorCode(value)).toBe(false);
      expect(isWireErrorCode(value)).toBe(false);
    }
  });
});
