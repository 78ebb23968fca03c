export { createGate } from './create-gate.js';
export type {
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
