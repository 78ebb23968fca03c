// The gate's types, in one place for this package.
export type {
  DenyReason,
  GateCheckInput,
  GateDecision,
  GateDeny,
  JsonObject,
  ToolAnnotations,
} from '@countersign/core';
