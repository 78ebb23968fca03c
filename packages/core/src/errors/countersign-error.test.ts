import { describe, expect, it } from 'vitest';
import { CountersignError } from './countersign-error.js';
import { ApiError, ExpiredError, RejectedError } from './errors.js';

describe('CountersignError.isInstance', () => {
  it('recognises every Countersign error from the base class', () => {
    expect(CountersignError.isInstance(new RejectedError({ requestId: 'r', reason: 'no' }))).toBe(
      true,
    );
    expect(CountersignError.isInstance(new Error('plain'))).toBe(false);
    expect(CountersignError.isInstance(null)).toBe(false);
  });

  it('narrows to the subclass it is called on', () => {
    const api = new ApiError('not_found', { message: 'gone', status: 404 });
    expect(ApiError.isInstance(api)).toBe(true);
    expect(ApiError.isInstance(new ExpiredError({ requestId: 'r' }))).toBe(false);
    expect(RejectedError.isInstance(api)).toBe(false);
  });

  it('works for an error built by another copy of the package', () => {
    // A structural copy: same marker, same class names, different constructors.
    const foreign = Object.assign(new Error('x'), {
      [Symbol.for('countersign.error')]: ['ApiError', 'CountersignError'],
    });
    expect(ApiError.isInstance(foreign)).toBe(true);
    expect(ExpiredError.isInstance(foreign)).toBe(false);
  });

  it('keeps the code, details and cause', () => {
    const cause = new Error('socket hang up');
    const error = new CountersignError('service_unavailable', {
      message: 'down',
      cause,
      details: { attempts: 3 },
    });
    expect(error.code).toBe('service_unavailable');
    expect(error.details).toEqual({ attempts: 3 });
    expect(error.cause).toBe(cause);
    expect(CountersignError.hasCode(error, 'service_unavailable')).toBe(true);
    expect(CountersignError.hasCode(error, 'expired')).toBe(false);
  });
});
