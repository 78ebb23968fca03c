import { definePolicy } from './parse-policy.js';
import type { Policy } from './policy-types.js';

/**
 * The policy used when none is given: tools annotated `readOnlyHint: true` run freely, everything
 * else needs one human approval (any reviewer, no deadline).
 */
export const DEFAULT_POLICY: Policy = definePolicy(
  {
    version: 1,
    default: 'require',
    rules: [
      {
        name: 'read-only-tools',
        when: 'has(tool.annotations.readOnlyHint) && tool.annotations.readOnlyHint == true',
        action: 'allow',
      },
    ],
  },
  'DEFAULT_POLICY',
);
