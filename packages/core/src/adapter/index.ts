/**
 * `@countersign/core/adapter`: the pieces every framework adapter shares, so they resolve their
 * gate, reject bad options and read tool arguments the same way. For adapter authors; an
 * application needs only the root entry.
 *
 * @packageDocumentation
 */
export { invalidOptions } from '../errors/index.js';
export type { EditValidator } from '../gate/gate-types.js';
export { isJsonObject } from '../protocol/index.js';
export { type ReportedRunEntry, ReportedRuns, type RunStore } from './reported-runs.js';
export {
  type AdapterGate,
  type GateMethod,
  type GateSourceOptions,
  type ResolveGateOptions,
  resolveGate,
} from './resolve-gate.js';
export {
  beginReported,
  endReported,
  type ReportedRun,
  type ReportingGate,
  runReported,
} from './run-reported.js';
export {
  APPROVAL_KEY,
  approvalOf,
  type ToolApprovalInfo,
  toolApprovalInfo,
  withApprovalOf,
} from './tool-approval-info.js';
export { PREVIEW_META_KEY, toolPreview } from './tool-preview.js';
