import { definePolicy } from '@countersign/core';

/** The policy: small transfers need one ops approver, big ones two from finance. */
export const transferRulesPolicy = definePolicy(
  {
    version: 1,
    default: 'deny',
    rules: [
      {
        name: 'never-huge',
        tools: ['transfer_funds'],
        when: 'args.amount > 5000000',
        action: 'deny',
      },
      {
        name: 'small',
        tools: ['transfer_funds'],
        when: 'args.amount <= 1000',
        action: 'require',
        approval: { assignees: ['group:ops'] },
      },
      {
        name: 'big',
        tools: ['transfer_funds'],
        when: 'args.amount > 1000',
        action: 'require',
        approval: { assignees: ['group:finance'], quorum: 2, timeout: '4h' },
      },
    ],
  },
  'transfer-rules',
);
