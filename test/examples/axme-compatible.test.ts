// examples/axme-compatible: `node main.ts`, an AXME-SDK-style agent against Countersign.
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningExample, startExample } from './run-example.ts';

let run: RunningExample | undefined;
afterEach(async () => {
  await run?.stop();
  run = undefined;
});

describe('examples/axme-compatible (its start script)', () => {
  it('creates an intent, observes it wait for a human, approves from the inbox and completes', async () => {
    run = await startExample('axme-compatible');
    expect(await run.finished()).toBe(0);
    const out = run.output();
    expect(out).toMatch(/health \{"ok":true\}/);
    expect(out).toMatch(/Created intent [0-9a-f-]{36}: WAITING/);
    expect(out).toContain('seq 1 intent.created CREATED');
    expect(out).toContain('seq 3 intent.waiting WAITING (WAITING_FOR_HUMAN)');
    expect(out).toContain(
      'inbox of approver@example.com: 1 thread(s): "Approve the Q3 marketing budget"',
    );
    expect(out).toContain('seq 4 intent.completed COMPLETED');
    expect(out).toContain(
      'Outcome: COMPLETED {"outcome":"approved","decided_by":["user:approver@example.com"],"comment":"Within the plan"}',
    );
  });
});
