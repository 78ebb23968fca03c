export type { ToolApprovalInfo } from '@countersign/core/adapter';
export { approvalOf } from './approval-of.js';
export { approvalStatusFor, type StatusMapping } from './approval-status.js';
export type { ToolExecutionEndInfo } from './bridged-runs.js';
export { type DeniedToolResult, deniedToolResult, isDeniedToolResult } from './denial.js';
export type { CountersignCallOptions, GateLike, ToolCallInfo } from './gate-options.js';
export type {
  CheckedApproval,
  OpenApproval,
  SettleApprovalsOptions,
} from './settle-approvals.js';
export { openApprovals, type SettleResult, settleToolApprovals } from './settle-model-messages.js';
export { settleUIMessageApprovals } from './settle-ui-messages.js';
export {
  type CountersignToolApprovalFunction,
  type CountersignToolApprovalOptions,
  countersignToolApproval,
} from './tool-approval.js';
export {
  type ApprovedToolExecutionOptions,
  COUNTERSIGN_WRAPPED,
  isWrappedTool,
  type WithApprovalOptions,
  withApproval,
} from './with-approval.js';
