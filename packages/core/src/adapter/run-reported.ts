import { CountersignError } from '../errors/index.js';
import { denyForError } from '../gate/gate-failure.js';
import { gateMessages } from '../gate/gate-messages.js';
import type { Gate, GateAllow, GateDeny } from '../gate/gate-types.js';
import type { AdapterGate } from './resolve-gate.js';

/** A gate that may report executions (`createGate()` does; a test double may not). */
export type ReportingGate = AdapterGate & Partial<Pick<Gate, 'report'>>;

/** What {@link runReported} did: ran the call, or refused to (with a denial for the model). */
export type ReportedRun<T> = { ran: true; value: T } | { ran: false; denial: GateDeny };

/** The denial when the server refused `executing`: already run elsewhere, or unreachable. */
function refused(decision: GateAllow, error: unknown): GateDeny {
  const where = decision.requestId === undefined ? {} : { requestId: decision.requestId };
  if (CountersignError.hasCode(error, 'conflict') && decision.requestId !== undefined) {
    return {
      outcome: 'deny',
      reason: 'already_ran',
      message: gateMessages.alreadyRan(decision.requestId, 'executing'),
      requestId: decision.requestId,
      cause: error,
    };
  }
  return denyForError(error, where);
}

/**
 * Runs an allowed call with its execution reported: `executing` first (when the server refuses,
 * because another attempt ran it or it is unreachable, the call does not run and the denial says
 * why), then `succeeded`, or `failed` with the error (which is rethrown). Every adapter runs tools
 * through it, so users report nothing themselves.
 *
 * @example
 * const run = await runReported(gate, decision, () => tool.execute(decision.args));
 * if (!run.ran) return run.denial.message;
 */
export async function runReported<T>(
  gate: ReportingGate,
  decision: GateAllow,
  run: () => T | Promise<T>,
): Promise<ReportedRun<T>> {
  const report = typeof gate.report === 'function' ? gate.report.bind(gate) : undefined;
  if (report && decision.requestId !== undefined) {
    try {
      await report(decision, 'executing');
    } catch (error) {
      return { ran: false, denial: refused(decision, error) };
    }
  }
  const after = async (state: 'succeeded' | 'failed', error?: unknown) => {
    try {
      await report?.(decision, state, error === undefined ? {} : { error });
    } catch {
      // The call ran; a lost report must not change its result.
    }
  };
  let value: T;
  try {
    value = await run();
  } catch (error) {
    await after('failed', error);
    throw error;
  }
  await after('succeeded');
  return { ran: true, value };
}
