// examples/core-quickstart: `node main.ts`, the policy and the gate with a scripted reviewer.
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningExample, startExample } from './run-example.ts';

let run: RunningExample | undefined;
afterEach(async () => {
  await run?.stop();
  run = undefined;
});

describe('examples/core-quickstart (its start script)', () => {
  it('shows what the policy decides and how the gate ends for each reviewer answer', async () => {
    run = await startExample('core-quickstart');
    expect(await run.finished()).toBe(0);
    const out = run.output();
    expect(out).toContain('Loaded 4 rules from countersign.yaml (default: require)');
    expect(out).toContain('get_user {"id":42} → allow (rule reads-are-free)');
    expect(out).toContain('db__drop_table {"table":"users"} → deny (rule never-drop)');
    expect(out).toContain(
      'transfer_funds {"amount":250,"to":"acct-7"} → allow (rule small-transfers)',
    );
    expect(out).toContain(
      'transfer_funds {"amount":5000,"to":"acct-7"} → require (rule big-transfers)',
    );
    expect(out).toContain('send_email {"to":"ceo@example.test"} → require (default)');
    expect(out).toMatch(/broken\.yaml:4: rule "oops": when: /);
    expect(out).toContain(
      'transfer 5000 (approved) → allow: run with {"amount":5000,"to":"acct-7"}',
    );
    expect(out).toContain(
      'transfer 5000 (edited) → allow: run with {"amount":2000,"to":"acct-7"} (edited by a human)',
    );
    expect(out).toMatch(
      /transfer 9000 \(rejected\) → deny: .*That account is not on the vendor list/,
    );
    expect(out).toMatch(/same call again → deny: .*already rejected this exact call/);
    // The remembered rejection is answered without asking the reviewer again.
    expect(out).toContain('Requests the reviewer saw: 3');
  });
});
