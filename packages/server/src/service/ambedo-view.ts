import type { ApprovalRequest, JsonObject } from '@countersign/core/protocol';
import type { AmbedoStatus } from '../http/ambedo-schemas.js';

/** Ambedo has four statuses; cancelled and answered map onto the nearest without calling them rejections. */
export function ambedoStatus(request: ApprovalRequest): AmbedoStatus {
  switch (request.status) {
    case 'approved':
    case 'answered':
      return 'approved';
    case 'rejected':
      return 'rejected';
    case 'pending':
      return 'pending';
    default:
      return 'expired';
  }
}

/** What Ambedo's API documents for a pause, in its routes and in its `webhookUrl` payload. */
export interface AmbedoPause {
  watchId: string;
  status: AmbedoStatus;
  resolvedAt: string | null;
  reason?: string;
  agentContext: { action: string; context: unknown };
}

/**
 * A request as an Ambedo pause: a `context` that was not an object when created is stored under
 * `metadata.ambedoContext` and given back as it was sent.
 */
export function ambedoPause(request: ApprovalRequest): AmbedoPause {
  const metadata: JsonObject = request.metadata ?? {};
  return {
    watchId: request.id,
    status: ambedoStatus(request),
    resolvedAt: request.resolution?.at ?? null,
    ...(request.resolution?.reason ? { reason: request.resolution.reason } : {}),
    agentContext: {
      action: request.action,
      context: 'ambedoContext' in metadata ? metadata.ambedoContext : request.context,
    },
  };
}
