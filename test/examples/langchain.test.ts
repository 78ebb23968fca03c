// examples/langchain: CLI server + webhook receiver; agent process A pauses, B resumes on the webhook.
import { readdir } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { count, type RunningExample, startExample } from './run-example.ts';

let run: RunningExample | undefined;
afterEach(async () => {
  await run?.stop();
  run = undefined;
});

describe('examples/langchain (its start script)', () => {
  it('pauses in one process, resumes from the signed webhook in another, runs the edited transfer once', async () => {
    run = await startExample('langchain');
    expect(await run.finished()).toBe(0);
    const out = run.output();
    const url = /Countersign server: (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
    expect(url).toBeDefined();
    expect(out).toMatch(/Webhook receiver: http:\/\/127\.0\.0\.1:\d+\//);
    const paused = /\[agent (\d+)\] paused: transfer_funds waits on request (req_[\w-]+)/.exec(out);
    expect(paused).not.toBeNull();
    const [, firstPid, requestId] = paused!;
    expect(out).toContain(`[agent ${firstPid}] checkpoint saved; exiting.`);
    expect(out).toContain(`[webhook] request ${requestId} is approved; resuming thread invoice-`);
    // The resumed process is a different one, and runs the human's edit (250, not 500) once.
    const finished = /\[agent (\d+)\] finished\. Final answer:/.exec(out);
    expect(finished?.[1]).toBeDefined();
    expect(finished?.[1]).not.toBe(firstPid);
    expect(count(out, '[tool] transfer_funds RAN')).toBe(1);
    expect(out).toContain('[tool] transfer_funds RAN: 250 EUR to bob@example.com');
    expect(out).toContain('amount: 500 → 250');
    expect(out).toMatch(/Requests created for thread invoice-\d+: 1 /);
    // Its state went to the temp dir it was given, and its server is gone.
    expect(
      (await readdir(run.tempDir)).some((entry) => entry.startsWith('countersign-langchain-')),
    ).toBe(true);
    await expect(fetch(`${url}/v1/health`)).rejects.toThrow();
  });
});
