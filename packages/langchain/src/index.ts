export type {
  AdapterGate as CountersignGate,
  GateSourceOptions,
  ToolApprovalInfo,
} from '@countersign/core/adapter';
export { approvalOf } from './approval-of.js';
export {
  CountersignCallbackHandler,
  type CountersignCallbackHandlerOptions,
  ToolBlockedError,
} from './callback-handler.js';
export {
  type CountersignMiddlewareOptions,
  countersignMiddleware,
  threadIdOf,
} from './middleware.js';
export {
  COUNTERSIGN_INTERRUPT_VERSION,
  type CountersignInterrupt,
  isCountersignInterrupt,
} from './pending.js';
export {
  type InterruptedState,
  type PendingApproval,
  pendingApprovals,
  resumeCountersign,
  type StateReader,
} from './resume.js';
export { type ApprovalSettings, type WithApprovalOptions, withApproval } from './with-approval.js';
