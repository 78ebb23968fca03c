import { generateText, isStepCount, tool } from 'ai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { scriptedModel } from './test-support/models.js';
import { type Fixture, startFixture } from './test-support/server-fixture.js';
import { withApproval } from './with-approval.js';

const emailPreview = {
  kind: 'email',
  fields: { to: 'args.to', subject: 'args.subject', body: 'args.body' },
};

describe('an AI SDK tool declares its preview in metadata', () => {
  let fixture: Fixture;
  beforeEach(async () => {
    fixture = await startFixture();
  });
  afterEach(() => fixture.close());

  it('the reviewer sees the email as it will be sent, and an edit of its subject is what runs', async () => {
    const sent: unknown[] = [];
    const sendEmail = tool({
      inputSchema: z.object({ to: z.string(), subject: z.string(), body: z.string() }),
      metadata: { countersign: { preview: emailPreview } },
      execute: async (input) => {
        sent.push(input);
        return 'sent';
      },
    });
    const model = scriptedModel([
      {
        id: 'call-1',
        name: 'transfer_funds',
        input: { to: 'ceo@example.com', subject: 'Q3', body: 'Up 4%' },
      },
    ]);
    const [, decided] = await Promise.all([
      generateText({
        model,
        tools: withApproval({ transfer_funds: sendEmail }, { gate: fixture.gate, runId: 'run-1' }),
        prompt: 'mail the board',
        stopWhen: isStepCount(3),
      }),
      fixture.decideNext({
        outcome: 'edit',
        args: { to: 'ceo@example.com', subject: 'Q3 (draft)', body: 'Up 4%' },
      }),
    ]);
    expect(decided.tool?.preview).toEqual(emailPreview);
    expect(decided.preview).toEqual({
      kind: 'email',
      parts: { to: 'ceo@example.com', subject: 'Q3 (draft)', body: 'Up 4%' },
      paths: { to: 'args.to', subject: 'args.subject', body: 'args.body' },
    });
    expect(sent).toEqual([{ to: 'ceo@example.com', subject: 'Q3 (draft)', body: 'Up 4%' }]);
  });
});
