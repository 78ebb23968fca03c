// The gate's types, in one place for this package.
export type {
  DenyReason,
  GateAllow,
  GateCheckInput,
  GateDecision,
  GateDeny,
  JsonObject,
  ToolAnnotations,
} from '@countersign/core';
