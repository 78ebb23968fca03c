import { describe, expect, it } from 'vitest';
import { CountersignError } from '../errors/index.js';
import { createGate } from '../gate/create-gate.js';
import { definePolicy } from '../policy/parse-policy.js';
import { createFakeApprovalService } from '../test-support/gate-fixtures.js';
import { resolveGate } from './resolve-gate.js';

function refusal(run: () => unknown): CountersignError {
  try {
    run();
  } catch (error) {
    if (CountersignError.hasCode(error, 'validation_failed')) return error;
    throw error;
  }
  throw new Error('expected a validation_failed error');
}

describe('resolveGate', () => {
  it('returns the gate given, unchanged', () => {
    const gate = createGate({ service: createFakeApprovalService() });
    expect(resolveGate({ gate }, 'adapter')).toBe(gate);
  });

  it('makes a gate from a policy and a service, which uses both', async () => {
    const policy = definePolicy({ version: 1, default: 'deny' });
    const gate = resolveGate({ policy, service: createFakeApprovalService() }, 'adapter');
    expect(await gate.check({ toolName: 'anything', args: {} })).toMatchObject({
      outcome: 'deny',
      reason: 'policy',
    });
    expect(typeof resolveGate({}, 'adapter').check).toBe('function');
  });

  it('reports every problem at once, in one validation_failed error named after the adapter', () => {
    const error = refusal(() =>
      resolveGate(
        { gate: { check: 1 } as never, policy: {} as never, service: {} as never },
        'withApproval',
        { problems: ['runId must be a string or a function'] },
      ),
    );
    expect(error.message).toMatch(/^withApproval: gate must be a Countersign gate/);
    expect(error.details.problems).toEqual([
      'gate must be a Countersign gate with check(input) (createGate from @countersign/core)',
      'give either gate or policy/service, not both',
      'policy must come from loadPolicy, parsePolicy or definePolicy',
      'service must implement ApprovalService (create, wait, ...)',
      'runId must be a string or a function',
    ]);
  });

  it('hands onDecision to the gate it makes, and refuses it beside a ready gate', async () => {
    const seen: string[] = [];
    const gate = resolveGate(
      {
        policy: definePolicy({ version: 1, default: 'allow' }),
        onDecision: (e) => seen.push(e.action),
      },
      'adapter',
    );
    await gate.check({ toolName: 'read', args: {} });
    expect(seen).toEqual(['allow']);
    const ready = createGate({ service: createFakeApprovalService() });
    expect(
      refusal(() => resolveGate({ gate: ready, onDecision: () => {} }, 'adapter')).details.problems,
    ).toEqual(['with a ready gate, give onDecision to createGate instead']);
  });

  it('asks for the methods the adapter needs', () => {
    const checkOnly = { check: async () => ({ outcome: 'deny', reason: 'policy', message: '' }) };
    expect(resolveGate({ gate: checkOnly as never }, 'proxy')).toBe(checkOnly);
    const error = refusal(() =>
      resolveGate({ gate: checkOnly as never }, 'proxy', { methods: ['check', 'evaluate'] }),
    );
    expect(error.message).toContain('check(input) and evaluate(input)');
  });

  it('refuses options that are not an object', () => {
    for (const options of [null, 'gate', 42]) {
      expect(refusal(() => resolveGate(options as never, 'adapter')).message).toBe(
        'adapter: options must be an object',
      );
    }
    expect(refusal(() => resolveGate(undefined, 'adapter')).details.problems).toEqual([
      'options must be an object',
    ]);
  });
});
