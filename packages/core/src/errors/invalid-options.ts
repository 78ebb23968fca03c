import { CountersignError } from './countersign-error.js';

/**
 * The error for bad options, thrown at construction by the gate and by every adapter: code
 * `validation_failed`, the message `owner: problem; problem`, the problems in `details.problems`.
 */
export function invalidOptions(owner: string, problems: readonly string[]): CountersignError {
  return new CountersignError('validation_failed', {
    message: `${owner}: ${problems.join('; ')}`,
    details: { problems: [...problems] },
  });
}
