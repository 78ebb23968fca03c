// examples/ai-sdk: the chat route whose transfer waits for a manager, approved and rejected.
import { afterEach, describe, expect, it } from 'vitest';
import { count, type RunningExample, startExample } from './run-example.ts';

let run: RunningExample | undefined;
afterEach(async () => {
  await run?.stop();
  run = undefined;
});

/** The request ids the chat waited on, before and after the route restart. */
function requestIds(out: string): string[] {
  return [...out.matchAll(/req_[\w-]+/g)].map((match) => match[0]);
}

describe('examples/ai-sdk (its start script)', () => {
  it('pauses the transfer, survives a route restart, and transfers once after approval', async () => {
    run = await startExample('ai-sdk');
    expect(await run.finished()).toBe(0);
    const out = run.output();
    expect(out).toMatch(
      /tool-transfer_funds: approval-requested \(Waiting for a decision on Countersign/,
    );
    expect(out).toContain('(chat route restarted)');
    expect(out).toContain('manager: approves "Run transfer_funds with {"amount":250,"to":"bob"}"');
    expect(count(out, '[bank] transferring 250 to bob')).toBe(1);
    expect(out).toContain('tool-transfer_funds: output-available');
    expect(out).toContain('assistant: Done: I sent bob 250');
    // One request for the whole chat: the restarted route resumed it rather than asking again.
    expect(new Set(requestIds(out)).size).toBe(1);
    expect(out).toMatch(/Countersign requests made: 1 \(req_[\w-]+ approved\)/);
  });

  it('with DECISION=reject, never transfers and tells the model the reason', async () => {
    run = await startExample('ai-sdk', { env: { DECISION: 'reject' } });
    expect(await run.finished()).toBe(0);
    const out = run.output();
    expect(out).toContain('manager: rejects "Run transfer_funds');
    expect(out).not.toContain('[bank] transferring');
    expect(out).toContain('tool-transfer_funds: output-denied');
    expect(out).toMatch(/assistant: I did not send the money: .*bob was paid yesterday/);
    expect(out).toMatch(/Countersign requests made: 1 \(req_[\w-]+ rejected\)/);
  });
});
