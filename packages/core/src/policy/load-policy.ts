import { readFile } from 'node:fs/promises';
import { PolicyInvalidError } from '../errors/errors.js';
import { parsePolicy } from './parse-policy.js';
import type { Policy } from './policy-types.js';

/**
 * Reads and validates a policy file (`.yaml`, `.yml` or `.json`).
 * @throws PolicyInvalidError when the file cannot be read or is malformed; the message names the
 *   file, line and rule.
 */
export async function loadPolicy(path: string): Promise<Policy> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new PolicyInvalidError({
      message: `${path}: cannot read the policy file: ${(error as Error).message}`,
      file: path,
      cause: error,
    });
  }
  return parsePolicy(text, { file: path });
}
