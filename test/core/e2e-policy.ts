import { definePolicy } from '@countersign/core';

/** The policy the e2e tests run under: one rule per outcome the gate can produce. */
export const e2ePolicy = definePolicy(
  {
    version: 1,
    default: 'require',
    approval: { assignees: ['group:ops'], timeout: '1h' },
    rules: [
      { name: 'reads-are-free', tools: ['get_*'], action: 'allow' },
      {
        name: 'never-drop',
        tools: ['*drop*'],
        action: 'deny',
        message: 'Dropping tables is not allowed here; ask a human to do it.',
      },
      {
        name: 'no-huge-transfers',
        tools: ['transfer_funds'],
        when: 'args.amount > 10000',
        action: 'deny',
        message: 'Transfers above 10000 are never allowed.',
      },
      { name: 'transfers', tools: ['transfer_funds'], action: 'require' },
      {
        name: 'two-person-deploys',
        tools: ['deploy'],
        action: 'require',
        approval: { quorum: 2 },
      },
      {
        name: 'ask-region',
        tools: ['choose_region'],
        action: 'require',
        approval: { kind: 'clarification', question: 'Which region should we use?' },
      },
      {
        name: 'trip-form',
        tools: ['book_trip'],
        action: 'require',
        approval: {
          kind: 'form',
          responseSchema: {
            type: 'object',
            properties: { seat: { type: 'string', enum: ['aisle', 'window'] } },
            required: ['seat'],
            additionalProperties: false,
          },
        },
      },
      {
        name: 'digest-runs-on-timeout',
        tools: ['send_digest'],
        action: 'require',
        approval: { timeout: '30m', onTimeout: 'allow' },
      },
    ],
  },
  'e2e-policy',
);
