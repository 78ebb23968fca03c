import {
  apiErrorBodySchema,
  approvalRequestSchema,
  cancelBodySchema,
  consumeReceiptBodySchema,
  controlStateSchema,
  createGrantBodySchema,
  createRequestBodySchema,
  decisionBodySchema,
  executionReportBodySchema,
  grantListSchema,
  grantOptionsSchema,
  grantSchema,
  policyListSchema,
  policyVersionBodySchema,
  policyVersionListSchema,
  policyVersionSchema,
  pushPolicyBodySchema,
  receiptConsumptionSchema,
  receiptKeySetSchema,
  requestEventSchema,
  requestListSchema,
  revokeGrantBodySchema,
  shadowReportBodySchema,
  shadowReportListSchema,
  stopBodySchema,
  stopListSchema,
  stopResultSchema,
  updateRequestBodySchema,
} from '@countersign/core/protocol';
import { z } from 'zod';
import {
  apiKeyListSchema,
  callbackSecretSchema,
  createdApiKeySchema,
  createdWebhookSchema,
  createKeyBodySchema,
  createWebhookBodySchema,
  webhookListSchema,
} from './admin-schemas.js';
import {
  approveBodySchema,
  pauseBodySchema,
  pauseCreatedSchema,
  pauseListSchema,
  pauseViewSchema,
} from './ambedo-schemas.js';
import { auditEntrySchema, auditVerificationSchema } from './audit-schemas.js';
import { authSessionSchema, cliTokenBodySchema, cliTokenSchema } from './auth-schemas.js';
import { healthSchema, identitySchema, readinessSchema } from './meta-schemas.js';
import { notificationListSchema } from './notification-schemas.js';
import {
  createUserBodySchema,
  updateUserBodySchema,
  userListSchema,
  userSchema,
} from './user-schemas.js';

/** The component schemas: bodies as clients send them (`input`), answers as the server sends them. */
const COMPONENTS = {
  CreateRequestBody: [createRequestBodySchema, 'input'],
  DecisionBody: [decisionBodySchema, 'input'],
  CancelBody: [cancelBodySchema, 'input'],
  UpdateRequestBody: [updateRequestBodySchema, 'input'],
  ApprovalRequest: [approvalRequestSchema, 'output'],
  RequestList: [requestListSchema, 'output'],
  RequestEvent: [requestEventSchema, 'output'],
  ApiError: [apiErrorBodySchema, 'output'],
  Identity: [identitySchema, 'output'],
  CreateKeyBody: [createKeyBodySchema, 'input'],
  CreatedApiKey: [createdApiKeySchema, 'output'],
  ApiKeyList: [apiKeyListSchema, 'output'],
  CreateWebhookBody: [createWebhookBodySchema, 'input'],
  CreatedWebhook: [createdWebhookSchema, 'output'],
  WebhookList: [webhookListSchema, 'output'],
  CallbackSecret: [callbackSecretSchema, 'output'],
  AuditEntry: [auditEntrySchema, 'output'],
  AuditVerification: [auditVerificationSchema, 'output'],
  Health: [healthSchema, 'output'],
  Readiness: [readinessSchema, 'output'],
  PauseBody: [pauseBodySchema, 'input'],
  ApproveBody: [approveBodySchema, 'input'],
  PauseCreated: [pauseCreatedSchema, 'output'],
  PauseView: [pauseViewSchema, 'output'],
  PauseList: [pauseListSchema, 'output'],
  PushPolicyBody: [pushPolicyBodySchema, 'input'],
  PolicyVersion: [policyVersionSchema, 'output'],
  PolicyVersionList: [policyVersionListSchema, 'output'],
  PolicyList: [policyListSchema, 'output'],
  PolicyVersionBody: [policyVersionBodySchema, 'input'],
  ShadowReportBody: [shadowReportBodySchema, 'input'],
  ShadowReportList: [shadowReportListSchema, 'output'],
  ControlState: [controlStateSchema, 'output'],
  StopBody: [stopBodySchema, 'input'],
  StopResult: [stopResultSchema, 'output'],
  StopList: [stopListSchema, 'output'],
  CreateGrantBody: [createGrantBodySchema, 'input'],
  RevokeGrantBody: [revokeGrantBodySchema, 'input'],
  Grant: [grantSchema, 'output'],
  GrantList: [grantListSchema, 'output'],
  GrantOptions: [grantOptionsSchema, 'output'],
  AuthSession: [authSessionSchema, 'output'],
  CliTokenBody: [cliTokenBodySchema, 'input'],
  CliToken: [cliTokenSchema, 'output'],
  User: [userSchema, 'output'],
  UserList: [userListSchema, 'output'],
  CreateUserBody: [createUserBodySchema, 'input'],
  UpdateUserBody: [updateUserBodySchema, 'input'],
  NotificationList: [notificationListSchema, 'output'],
  ExecutionReportBody: [executionReportBodySchema, 'input'],
  ConsumeReceiptBody: [consumeReceiptBodySchema, 'input'],
  ReceiptConsumption: [receiptConsumptionSchema, 'output'],
  ReceiptKeySet: [receiptKeySetSchema, 'output'],
} as const satisfies Record<string, readonly [z.ZodType, 'input' | 'output']>;

/** The name of a component schema. */
export type ComponentName = keyof typeof COMPONENTS;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  return z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any' });
}

/** Every component schema as JSON Schema. */
export function componentSchemas(): Record<ComponentName, Record<string, unknown>> {
  return Object.fromEntries(
    Object.entries(COMPONENTS).map(([name, [schema, io]]) => [name, jsonSchema(schema, io)]),
  ) as Record<ComponentName, Record<string, unknown>>;
}

/** A reference to a component schema. */
export const componentRef = (name: ComponentName) => ({
  $ref: `#/components/schemas/${name}`,
});

/** The query parameters of a route, from the zod schema the route validates its query with. */
export function queryParameters(schema: z.ZodObject): Record<string, unknown>[] {
  const document = jsonSchema(schema, 'input') as {
    properties?: Record<string, { description?: string }>;
    required?: string[];
  };
  return Object.entries(document.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: 'query',
      required: document.required?.includes(name) ?? false,
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}
