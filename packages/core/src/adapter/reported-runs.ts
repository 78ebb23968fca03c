import type { GateAllow, GateDeny } from '../gate/gate-types.js';
import { beginReported, endReported, type ReportingGate } from './run-reported.js';
import { type ToolApprovalInfo, toolApprovalInfo } from './tool-approval-info.js';

/** One call {@link ReportedRuns} let run: how to report it, and what its tool is handed. */
export interface ReportedRunEntry {
  /** The gate that reported `executing`, and reports the outcome. */
  gate: ReportingGate;
  /** The allowed decision, holding the receipt re-signed as the call started. */
  decision: GateAllow;
  /** What the tool is handed about its approval (`approvalOf`). */
  approval: ToolApprovalInfo;
}

/** Where {@link ReportedRuns} keeps its calls: a `Map`, or any store with its three methods. */
export interface RunStore<K> {
  get(key: K): ReportedRunEntry | undefined;
  set(key: K, entry: ReportedRunEntry): unknown;
  delete(key: K): unknown;
}

/**
 * Approved calls the framework runs itself, for adapters that see a call start in one hook and end
 * in another (a LangChain callback handler; the AI SDK's `toolApproval` and `onToolExecutionEnd`),
 * keyed by what both hooks and the tool can name. `begin` reports `executing` (like
 * `beginReported`) and keeps the approval for the tool; `end` reports the outcome and forgets it.
 */
export class ReportedRuns<K> {
  readonly #store: RunStore<K>;

  constructor(store: RunStore<K> = new Map()) {
    this.#store = store;
  }

  /** Reports `executing`; resolves with a denial when the server refuses (do not run then). */
  async begin(key: K, gate: ReportingGate, decision: GateAllow): Promise<GateDeny | undefined> {
    const refused = await beginReported(gate, decision);
    if (refused) return refused;
    if (decision.requestId !== undefined) {
      this.#store.set(key, { gate, decision, approval: toolApprovalInfo(decision) });
    }
    return undefined;
  }

  /** The approval of a call begun and not yet ended. */
  approval(key: K): ToolApprovalInfo | undefined {
    return this.#store.get(key)?.approval;
  }

  /** Reports `succeeded`, or `failed` with `error`, for a begun call; never rejects. */
  async end(key: K, outcome: { error: unknown } | undefined = undefined): Promise<void> {
    const entry = this.#store.get(key);
    if (entry === undefined) return;
    this.#store.delete(key);
    await endReported(entry.gate, entry.decision, outcome);
  }
}
