import { Command } from '@langchain/langgraph';
import { type CountersignInterrupt, isCountersignInterrupt } from './pending.js';

/** The slice of a LangGraph state snapshot the resume helpers read. */
export interface InterruptedState {
  tasks: ReadonlyArray<{ interrupts?: ReadonlyArray<{ id?: string; value?: unknown }> }>;
}

/** Anything with `getState(config)`: a `createAgent` agent or a compiled LangGraph graph. */
export interface StateReader<Config> {
  getState(config: Config): Promise<InterruptedState>;
}

/** A pending Countersign request that paused a run, with the interrupt id to resume it by. */
export interface PendingApproval extends CountersignInterrupt {
  interruptId: string;
}

/** The Countersign requests a paused thread is waiting on (empty when it is not paused on any). */
export async function pendingApprovals<Config>(
  agent: StateReader<Config>,
  config: Config,
): Promise<PendingApproval[]> {
  const state = await agent.getState(config);
  const pending: PendingApproval[] = [];
  for (const task of state.tasks) {
    for (const paused of task.interrupts ?? []) {
      if (paused.id !== undefined && isCountersignInterrupt(paused.value)) {
        pending.push({ ...paused.value, interruptId: paused.id });
      }
    }
  }
  return pending;
}

/**
 * The `Command` that resumes a thread paused on Countersign requests: invoke the agent with it and
 * the same `thread_id`, in this process or a new one. Each paused tool call asks the gate again and
 * re-attaches to its request; decided calls proceed, undecided ones pause again. Returns undefined
 * when the thread is not paused on Countersign.
 */
export async function resumeCountersign<Config>(
  agent: StateReader<Config>,
  config: Config,
): Promise<Command | undefined> {
  const pending = await pendingApprovals(agent, config);
  if (pending.length === 0) return undefined;
  const resume: Record<string, { requestId: string }> = {};
  for (const approval of pending) resume[approval.interruptId] = { requestId: approval.requestId };
  return new Command({ resume });
}
