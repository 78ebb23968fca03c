import { definePolicy } from '../policy/parse-policy.js';
import type { DecisionInput } from '../protocol/index.js';
import { createFakeApprovalService, type FakeApprovalService } from '../test/index.js';

/** The policy the gate tests share. */
export const testPolicy = definePolicy({
  version: 1,
  default: 'require',
  approval: { assignees: ['group:ops'], timeout: '1h' },
  rules: [
    { name: 'reads', tools: ['get_*'], action: 'allow' },
    { name: 'no-drops', tools: ['*drop*'], action: 'deny', message: 'Never drop tables.' },
    { name: 'no-huge', tools: ['transfer_funds'], when: 'args.amount > 1000000', action: 'deny' },
    {
      name: 'big-transfers',
      tools: ['transfer_funds'],
      when: 'args.amount > 1000',
      action: 'require',
      approval: {
        assignees: ['group:finance'],
        quorum: 2,
        timeout: '48h',
        reminders: ['24h'],
        escalation: { after: '24h', assignees: ['user:cfo'], mode: 'add' },
      },
    },
    { name: 'small-transfers', tools: ['transfer_funds'], action: 'allow' },
    {
      name: 'lenient',
      tools: ['notify'],
      action: 'require',
      approval: { onTimeout: 'allow' },
    },
  ],
});

/**
 * Decides the next request the fake sees, as soon as it exists. Resolves once decided.
 */
export async function decideNext(
  service: FakeApprovalService,
  body: DecisionInput,
  principal = 'user:alice',
): Promise<void> {
  const request = await service.waitForRequest((candidate) => candidate.status === 'pending');
  await service.decide(request.id, body, { principal });
}

export { createFakeApprovalService };
