export { createGate } from './create-gate.js';
export type {
  ApprovalOverride,
  DenyReason,
  Gate,
  GateAllow,
  GateCheckInput,
  GateDecision,
  GateDeny,
  GateOptions,
  GatePending,
  GateRespond,
} from './gate-types.js';
