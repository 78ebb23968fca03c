export { approversOf, type DecidedRequest, standingArgs } from './approvals.js';
export { durationSchema, formatDuration, MAX_DURATION_MS, parseDuration } from './duration.js';
export {
  type ApiErrorBody,
  apiErrorBodySchema,
  type RequestEvent,
  requestEventSchema,
  requestEventTypeSchema,
} from './events.js';
export {
  boundedArgsCondition,
  describeGrantApproval,
  exactArgsCondition,
  GRANT_CONDITION_MAX_LENGTH,
} from './grant-conditions.js';
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
export {
  type RequestPolicy,
  requestPolicySchema,
  type ScopeGrants,
  type ScopeRule,
  scopeGrantsSchema,
  scopeRuleSchema,
} from './policy-scope.js';
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
