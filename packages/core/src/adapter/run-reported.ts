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
 * Reports `executing` for an allowed call just before it runs. Resolves with a denial when the
 * server refuses (another attempt ran it, or it is unreachable): the call must not run then.
 * Resolves undefined when it may run (also for calls the policy allowed, which have no request);
 * `decision.receipt` then holds the receipt the server re-signed as the call starts, so read the
 * approval for the tool (`withApprovalOf`) after this, not before.
 */
export async function beginReported(
  gate: ReportingGate,
  decision: GateAllow,
): Promise<GateDeny | undefined> {
  if (typeof gate.report !== 'function' || decision.requestId === undefined) return undefined;
  try {
    await gate.report(decision, 'executing');
    return undefined;
  } catch (error) {
    return refused(decision, error);
  }
}

/** Reports `succeeded`, or `failed` with `error`, after the call; never rejects. */
export async function endReported(
  gate: ReportingGate,
  decision: GateAllow,
  outcome: { error: unknown } | undefined = undefined,
): Promise<void> {
  if (typeof gate.report !== 'function' || decision.requestId === undefined) return;
  try {
    if (outcome === undefined) await gate.report(decision, 'succeeded');
    else await gate.report(decision, 'failed', { error: outcome.error });
  } catch {
    // The call ran; a lost report must not change its result.
  }
}

/**
 * Runs an allowed call with its execution reported: `executing` first (when the server refuses,
 * because another attempt ran it or it is unreachable, the call does not run and the denial says
 * why), then `succeeded`, or `failed` with the error (which is rethrown). Every adapter runs tools
 * through it, so users report nothing themselves. `run` is called after `executing`, when
 * `decision.receipt` is the receipt re-signed for this run: read it inside `run`.
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
  const denial = await beginReported(gate, decision);
  if (denial) return { ran: false, denial };
  let value: T;
  try {
    value = await run();
  } catch (error) {
    await endReported(gate, decision, { error });
    throw error;
  }
  await endReported(gate, decision);
  return { ran: true, value };
}
