import { describe, expect, it } from 'vitest';
import { PolicyInvalidError } from '../errors/index.js';
import { buildCreateBody } from '../gate/request-body.js';
import { parsePolicy } from './parse-policy.js';

const POLICY = `version: 1
default: allow
rules:
  - name: queries
    tools: run_sql
    action: require
    approval:
      preview:
        kind: sql
        fields: { statement: args.query, database: args.db }
  - name: mail
    tools: send_email
    action: require
`;

describe('previews in a policy file', () => {
  it("a rule's preview travels with the request and wins over the tool's own", () => {
    const policy = parsePolicy(POLICY, { file: 'countersign.yaml' });
    const decision = policy.evaluate({ toolName: 'run_sql', args: { query: 'DELETE FROM t' } });
    expect(decision.approval?.preview).toEqual({
      kind: 'sql',
      fields: { statement: 'args.query', database: 'args.db' },
    });
    const input = {
      toolName: 'run_sql',
      args: { query: 'DELETE FROM t' },
      preview: { kind: 'json' as const },
    };
    const body = buildCreateBody(input, decision.approval!, decision.rule);
    expect(body.tool?.preview).toEqual(decision.approval?.preview);
  });

  it("without a rule's preview the tool's own is sent", () => {
    const policy = parsePolicy(POLICY);
    const decision = policy.evaluate({ toolName: 'send_email', args: {} });
    const preview = { kind: 'email' as const, fields: { subject: 'args.subject' } };
    const body = buildCreateBody(
      { toolName: 'send_email', args: {}, preview },
      decision.approval!,
      decision.rule,
    );
    expect(body.tool?.preview).toEqual(preview);
  });

  it('refuses at load a preview with an unknown part or a broken expression, naming file, line and rule', () => {
    const unknownPart = POLICY.replace('database: args.db', 'subject: args.db');
    expect(() => parsePolicy(unknownPart, { file: 'p.yaml' })).toThrow(/has no part "subject"/);
    const broken = POLICY.replace('database: args.db', 'database: args.db +');
    let error: unknown;
    try {
      parsePolicy(broken, { file: 'p.yaml' });
    } catch (caught) {
      error = caught;
    }
    expect(PolicyInvalidError.isInstance(error)).toBe(true);
    expect((error as PolicyInvalidError).message).toMatch(
      /p\.yaml:7.*queries.*preview part "database"/s,
    );
  });
});
