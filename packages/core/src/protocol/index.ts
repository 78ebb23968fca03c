export { approversOf, type DecidedRequest, standingArgs } from './approvals.js';
export {
  type ControlPolicy,
  type ControlState,
  controlPolicySchema,
  controlStateSchema,
  type PolicyVersion,
  type PushPolicyBody,
  policyListSchema,
  policyNameSchema,
  policySummarySchema,
  policyVersionBodySchema,
  policyVersionListSchema,
  policyVersionSchema,
  pushPolicyBodySchema,
  type ShadowReportBody,
  type Stop,
  shadowReportBodySchema,
  shadowReportListSchema,
  shadowReportSchema,
  stopBodySchema,
  stopListSchema,
  stoppedMessage,
  stopResultSchema,
  stopSchema,
  stopScopeSchema,
} from './central-policy.js';
export { durationSchema, formatDuration, MAX_DURATION_MS, parseDuration } from './duration.js';
export {
  type ApiErrorBody,
  apiErrorBodySchema,
  type RequestEvent,
  requestEventSchema,
  requestEventTypeSchema,
} from './events.js';
export {
  type ConsumeReceiptInput,
  consumeReceiptBodySchema,
  type Execution,
  type ExecutionReportInput,
  executionReportBodySchema,
  executionSchema,
  executionStateSchema,
  MAX_EXECUTION_ERROR_LENGTH,
  type ReceiptConsumption,
  type ReceiptKeySet,
  receiptConsumptionSchema,
  receiptKeySetSchema,
} from './execution.js';
export {
  boundedArgsCondition,
  describeGrantApproval,
  exactArgsCondition,
  GRANT_CONDITION_MAX_LENGTH,
} from './grant-conditions.js';
export {
  type GrantChoices,
  type GrantOptions,
  grantChoicesSchema,
  grantOptionsSchema,
} from './grant-options.js';
export {
  type CreateGrantInput,
  createGrantBodySchema,
  type Grant,
  type GrantList,
  type GrantReference,
  type GrantSpec,
  grantListSchema,
  grantReferenceSchema,
  grantSchema,
  grantSpecSchema,
  revokeGrantBodySchema,
} from './grants.js';
export { isJsonObject } from './is-json-object.js';
export { type DiffLine, lineDiff } from './line-diff.js';
export {
  type RequestPolicy,
  requestPolicySchema,
  type ScopeGrants,
  type ScopeRule,
  scopeGrantsSchema,
  scopeRuleSchema,
} from './policy-scope.js';
export {
  PREVIEW_FORMATS,
  PREVIEW_KINDS,
  PREVIEW_PARTS,
  PREVIEW_SOURCE_MAX,
  type PreviewDescriptor,
  type PreviewDescriptorInput,
  type PreviewFormat,
  type PreviewKind,
  previewDescriptorSchema,
  type ResolvedPreview,
  resolvedPreviewSchema,
} from './preview.js';
export { amountInWords, integerInWords, maskedHeaders, sqlWarnings } from './preview-facts.js';
export {
  type PathSegment,
  type PreviewPath,
  parsePreviewPath,
  valueAtPath,
  withValueAtPath,
} from './preview-path.js';
export { diffText, htmlToText, linesText, partText, renderPreviewText } from './preview-text.js';
export { RECEIPT_ISSUER, RECEIPT_TYPE, type ReceiptClaims } from './receipt-claims.js';
export {
  type ApprovalRequest,
  approvalRequestSchema,
  type CancelInput,
  type CreateRequestBody,
  type CreateRequestInput,
  cancelBodySchema,
  createRequestBodySchema,
  type Decision,
  type DecisionInput,
  decisionBodySchema,
  decisionSchema,
  type RequestList,
  type Resolution,
  requestListSchema,
  resolutionSchema,
  type UpdateRequestInput,
  updateRequestBodySchema,
} from './request.js';
export {
  type Assignee,
  assigneeSchema,
  decisionOutcomeSchema,
  type Escalation,
  escalationSchema,
  type JsonObject,
  jsonObjectSchema,
  jsonSchemaDocumentSchema,
  type Notify,
  notifySchema,
  notifyTargetSchema,
  requestKindSchema,
  requestStatusSchema,
  type ToolAnnotations,
  type ToolCall,
  toolAnnotationsSchema,
  toolCallSchema,
} from './schemas.js';
export { type SseMessage, SseParser, type SseParserOptions } from './sse-parser.js';
export {
  DECISION_OUTCOMES,
  type DecisionOutcome,
  EXECUTION_STATES,
  type ExecutionState,
  GRANT_APPLIES_TO,
  GRANT_STATUSES,
  type GrantAppliesTo,
  type GrantStatus,
  isTerminalStatus,
  REQUEST_EVENT_TYPES,
  REQUEST_KINDS,
  REQUEST_STATUSES,
  type RequestEventType,
  type RequestKind,
  type RequestStatus,
  TERMINAL_STATUSES,
} from './wire-values.js';
