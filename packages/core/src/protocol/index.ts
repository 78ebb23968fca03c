export { approversOf, type DecidedRequest, standingArgs } from './approvals.js';
export { durationSchema, formatDuration, MAX_DURATION_MS, parseDuration } from './duration.js';
export {
  type ApiErrorBody,
  apiErrorBodySchema,
  type RequestEvent,
  requestEventSchema,
  requestEventTypeSchema,
} from './events.js';
export { isJsonObject } from './is-json-object.js';
export {
  type RequestPolicy,
  requestPolicySchema,
  type ScopeRule,
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
  isTerminalStatus,
  REQUEST_EVENT_TYPES,
  REQUEST_KINDS,
  REQUEST_STATUSES,
  type RequestEventType,
  type RequestKind,
  type RequestStatus,
  TERMINAL_STATUSES,
} from './wire-values.js';
