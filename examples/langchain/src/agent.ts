import { fileURLToPath } from 'node:url';
import { loadPolicy } from '@countersign/core';
import { countersignMiddleware } from '@countersign/langchain';
import type { BaseCheckpointSaver } from '@langchain/langgraph';
import { AIMessage, type BaseMessage, createAgent, fakeModel, tool } from 'langchain';
import { z } from 'zod';

const POLICY_FILE = fileURLToPath(new URL('../countersign.yaml', import.meta.url));

const lookupBalance = tool(async ({ account }) => `Account ${account} holds 12,400 EUR.`, {
  name: 'lookup_balance',
  description: 'Read the balance of one of our accounts',
  schema: z.object({ account: z.string() }),
});

const transferFunds = tool(
  async ({ to, amount }) => {
    console.log(`  [tool] transfer_funds RAN: ${amount} EUR to ${to}`);
    return `Transferred ${amount} EUR to ${to}.`;
  },
  {
    name: 'transfer_funds',
    description: 'Send money from the operations account',
    schema: z.object({ to: z.string().min(1), amount: z.number().positive().max(10_000) }),
  },
);

/**
 * The scripted model (no API key): first it calls both tools in one turn, then it summarizes
 * whatever the tool messages say. A resumed process only plays the second part.
 */
function scriptedModel(phase: 'start' | 'resume') {
  const summarize = (messages: BaseMessage[]) => {
    const results = messages
      .filter((message) => message.type === 'tool')
      .map((m) => `- ${m.content}`);
    return new AIMessage(`Here is what happened:\n${results.join('\n')}`);
  };
  const model = fakeModel();
  if (phase === 'start') {
    model.respondWithTools([
      { name: 'lookup_balance', args: { account: 'ops' }, id: 'call_balance' },
      { name: 'transfer_funds', args: { to: 'bob@example.com', amount: 500 }, id: 'call_transfer' },
    ]);
  }
  return model.respond(summarize);
}

/** The agent, gated by Countersign. Waits 1 s for a decision, then pauses the run durably. */
export async function buildAgent(phase: 'start' | 'resume', checkpointer: BaseCheckpointSaver) {
  return createAgent({
    model: scriptedModel(phase),
    tools: [lookupBalance, transferFunds],
    checkpointer,
    systemPrompt: 'You are a careful finance assistant.',
    middleware: [
      countersignMiddleware({ policy: await loadPolicy(POLICY_FILE), waitTimeoutMs: 1_000 }),
    ],
  });
}
