import { describe, expect, it } from 'vitest';
import { CountersignError } from '../errors/index.js';
import { parsePolicy } from '../policy/parse-policy.js';
import { createRequestBodySchema } from '../protocol/index.js';
import { buildCreateBody } from './request-body.js';

const POLICY = `version: 1
rules:
  - name: deploys
    tools: [deploy]
    action: require
    approval:
      assignees: [group:ops]
      notify: { targets: ["slack:#deploys", "email:oncall@example.com"], channels: [email], requester: true }
`;

describe('notify targets from a policy rule', () => {
  it('travel from the rule into the create body, which the server accepts', () => {
    const decision = parsePolicy(POLICY).evaluate({ toolName: 'deploy', args: { env: 'prod' } });
    const approval = decision.approval;
    if (!approval) throw new Error('expected an approval');
    expect(approval.notify).toEqual({
      targets: ['slack:#deploys', 'email:oncall@example.com'],
      channels: ['email'],
      requester: true,
    });
    const body = buildCreateBody(
      { toolName: 'deploy', args: { env: 'prod' } },
      approval,
      'deploys',
    );
    expect(createRequestBodySchema.parse(body).notify).toEqual(approval.notify);
  });

  it('refuses a target that is not email:, slack:, user: or group:, naming the line', () => {
    const bad = POLICY.replace('slack:#deploys', 'pager:ops');
    try {
      parsePolicy(bad, { file: 'countersign.yaml' });
      throw new Error('expected the policy to be refused');
    } catch (error) {
      expect(CountersignError.hasCode(error, 'policy_invalid')).toBe(true);
      expect((error as Error).message).toMatch(/countersign\.yaml:\d+/);
      expect((error as Error).message).toContain('email:ADDRESS, slack:#CHANNEL');
    }
  });
});
