// One agent process: `start THREAD` runs until done or paused; `resume THREAD` continues a paused
// thread. Configured by COUNTERSIGN_URL, COUNTERSIGN_API_KEY (an agent key) and COUNTERSIGN_STATE_DIR.
import { join } from 'node:path';
import { pendingApprovals, resumeCountersign } from '@countersign/langchain';
import { isInterrupted } from '@langchain/langgraph';
import { buildAgent } from './agent.ts';
import { FileCheckpointSaver } from './file-checkpoint-saver.ts';

const [mode, threadId] = process.argv.slice(2);
if ((mode !== 'start' && mode !== 'resume') || !threadId) {
  console.error('usage: node src/run-agent.ts start|resume THREAD_ID');
  process.exit(2);
}
const stateDir = process.env.COUNTERSIGN_STATE_DIR ?? '.';
const checkpointer = new FileCheckpointSaver(join(stateDir, 'checkpoints.json'));
const agent = await buildAgent(mode, checkpointer);
const config = { configurable: { thread_id: threadId } };

let result: Awaited<ReturnType<typeof agent.invoke>>;
if (mode === 'start') {
  result = await agent.invoke(
    { messages: [{ role: 'user', content: 'Pay Bob his 500 EUR.' }] },
    config,
  );
} else {
  const command = await resumeCountersign(agent, config);
  if (!command) {
    console.log(`  [agent ${process.pid}] thread ${threadId} is not waiting on Countersign.`);
    process.exit(0);
  }
  result = await agent.invoke(command as never, config);
}

if (isInterrupted(result)) {
  for (const pending of await pendingApprovals(agent, config)) {
    console.log(
      `  [agent ${process.pid}] paused: ${pending.toolName} waits on request ${pending.requestId}`,
    );
  }
  console.log(`  [agent ${process.pid}] checkpoint saved; exiting.`);
} else {
  console.log(
    `  [agent ${process.pid}] finished. Final answer:\n${indent(String(result.messages.at(-1)?.content))}`,
  );
}

function indent(text: string): string {
  return text.replace(/^/gm, '    ');
}
