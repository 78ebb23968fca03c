export { createGate } from './create-gate.js';
export type { GateDecisionEvent, GateDecisionListener } from './gate-observer.js';
export type {
  ApprovalOverride,
  DenyReason,
  EditValidator,
  ExecutionReportDetails,
  ExecutionReportState,
  Gate,
  GateAllow,
  GateCheckInput,
  GateDecision,
  GateDeny,
  GateOptions,
  GatePending,
  GateRespond,
} from './gate-types.js';
