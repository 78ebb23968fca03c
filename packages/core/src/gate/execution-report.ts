import type { ApprovalService } from '../client/client-types.js';
import { MAX_EXECUTION_ERROR_LENGTH } from '../protocol/index.js';
import type { ExecutionReportDetails, ExecutionReportState, GateAllow } from './gate-types.js';

// One attempt id per allowed decision: the same decision reporting again repeats its attempt
// (a no-op on the server), another decision about the same request is another attempt.
const attempts = new WeakMap<GateAllow, string>();

function attemptOf(decision: GateAllow): string {
  let attempt = attempts.get(decision);
  if (attempt === undefined) {
    attempt = globalThis.crypto.randomUUID();
    attempts.set(decision, attempt);
  }
  return attempt;
}

function errorText(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.slice(0, MAX_EXECUTION_ERROR_LENGTH);
}

/** True when the decision came from an approval whose execution the server tracks. */
export function isReportable(decision: GateAllow): decision is GateAllow & { requestId: string } {
  return decision.requestId !== undefined && decision.expired !== true;
}

/** Sends one execution report; see `Gate.report`. */
export async function sendExecutionReport(
  service: ApprovalService,
  decision: GateAllow & { requestId: string },
  state: ExecutionReportState,
  details: ExecutionReportDetails,
): Promise<void> {
  if (!service.reportExecution) return;
  const body = {
    state,
    attempt: attemptOf(decision),
    ...(state === 'failed' && details.error !== undefined
      ? { error: errorText(details.error) }
      : {}),
  };
  const options = details.signal ? { signal: details.signal } : {};
  if (state === 'executing') {
    await service.reportExecution(decision.requestId, body, options);
    return;
  }
  // The call has run: a lost after-report must not turn its result into a failure.
  try {
    await service.reportExecution(decision.requestId, body, options);
  } catch {
    // The server keeps the call `executing`, which is never handed out again: still safe.
  }
}
