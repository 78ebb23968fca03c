import type { ApprovalService } from '../client/client-types.js';
import { type ApprovalRequest, MAX_EXECUTION_ERROR_LENGTH } from '../protocol/index.js';
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

/**
 * Takes the receipt the server re-signed as the call starts (the answer to `executing`), when it is
 * for exactly this call: the decision's own may have expired while the call waited to start. The
 * decision is updated in place, not copied: its attempt id is tied to that object, and the
 * adapters build the tool's approval from it once `executing` went through.
 */
function takeRenewedReceipt(decision: GateAllow, answer: ApprovalRequest | undefined): void {
  const resolution = answer?.resolution;
  if (resolution?.receipt === undefined || resolution.fingerprint !== decision.fingerprint) return;
  decision.receipt = resolution.receipt;
  if (resolution.receiptId !== undefined) decision.receiptId = resolution.receiptId;
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
    takeRenewedReceipt(decision, await service.reportExecution(decision.requestId, body, options));
    return;
  }
  // The call has run: a lost after-report must not turn its result into a failure.
  try {
    await service.reportExecution(decision.requestId, body, options);
  } catch {
    // The server keeps the call `executing`, which is never handed out again: still safe.
  }
}
