import type { ApprovalRequest, JsonObject } from '@countersign/core/protocol';

/**
 * What an AXME intent carries that the request model has no field for, kept in the request's
 * `metadata` under this one key (documented in the server README).
 */
export const AXME_METADATA_KEY = 'axme';

/** The AXME-only part of an intent, as stored in `metadata.axme`. */
export interface AxmeMetadata {
  intentType: string;
  correlationId?: string;
  toAgent: string;
  replyTo?: string;
  /** Absent for an intent addressed to an agent (no human task). */
  humanTask?: {
    title: string;
    description?: string;
    taskType: string;
    allowedOutcomes?: string[];
    requiredComment: boolean;
    assignees?: string[];
  };
  deadlineAt?: string;
  remindAfterSeconds?: number;
  remindIntervalSeconds?: number;
  maxReminders?: number;
  escalateTo?: string;
}

/** The AXME part of a request's metadata, if it was created through the AXME routes. */
export function axmeMetadataOf(request: ApprovalRequest): AxmeMetadata | undefined {
  const value = request.metadata?.[AXME_METADATA_KEY];
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as unknown as AxmeMetadata)
    : undefined;
}

/** True for an intent addressed to an agent, which only that agent or the requester resolves. */
export function isAgentIntent(request: ApprovalRequest): boolean {
  const axme = axmeMetadataOf(request);
  return axme !== undefined && axme.humanTask === undefined;
}

/** The key name an agent address stands for: `agent:NAME`, `agent://org/env/NAME` or `NAME`. */
export function agentNameOf(address: string): string {
  if (address.startsWith('agent://')) return address.split('/').filter(Boolean).at(-1) ?? address;
  if (address.startsWith('agent:')) return address.slice('agent:'.length);
  return address;
}

/** Stores `metadata` as the JSON object the request model holds. */
export function toMetadata(metadata: AxmeMetadata): JsonObject {
  return { [AXME_METADATA_KEY]: JSON.parse(JSON.stringify(metadata)) as JsonObject };
}
