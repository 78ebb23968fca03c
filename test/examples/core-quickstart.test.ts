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
    expect(out).toContain('Loaded 5 rules from countersign.yaml (default: require)');
    expect(out).toContain('get_user {"id":42} → allow (rule reads-are-free)');
    expect(out).toContain('db__drop_table {"table":"users"} → deny (rule never-drop)');
    expect(out).toContain(
      `db__execute {"database":"billing","sql":"UPDATE invoices SET status = 'void'"} → require (rule database-writes)`,
    );
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
    // The SQL statement is shown as SQL, then as the reviewer narrowed it, which is what runs.
    expect(out).toContain(
      "the reviewer sees:\n    | The statement as it will run\n    | \n    | Database: billing\n    | UPDATE invoices SET status = 'void'\n    | WARNING: UPDATE without WHERE",
    );
    expect(out).toContain(
      "after the edit:\n    | The statement as it will run\n    | \n    | Database: billing\n    | UPDATE invoices SET status = 'void' WHERE id = 1042\n",
    );
    expect(out).toContain(
      `db__execute (edited) → allow: run with {"database":"billing","sql":"UPDATE invoices SET status = 'void' WHERE id = 1042"} (edited by a human)`,
    );
    expect(out).toContain('Requests the reviewer saw: 4');
  });
});
