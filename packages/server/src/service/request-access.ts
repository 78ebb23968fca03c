import type { ApprovalRequest } from '@countersign/core/protocol';
import { canSee, type Principal } from '../auth/principal.js';
import type { StoreTx } from '../store/store-types.js';
import { fail } from './failures.js';

/** Loads a request the principal may see; undefined when missing or hidden (both are 404). */
export async function loadVisible(
  tx: StoreTx,
  principal: Principal,
  id: string,
): Promise<ApprovalRequest | undefined> {
  const request = await tx.getRequest(id);
  return request && canSee(principal, request) ? request : undefined;
}

/** Refuses terminal requests and stale versions with 409s; never a silent overwrite. */
export function loadPending(request: ApprovalRequest, expectedVersion?: number): ApprovalRequest {
  if (request.status !== 'pending') {
    throw fail('already_decided', `Request ${request.id} is already ${request.status}`, {
      requestId: request.id,
      status: request.status,
      version: request.version,
    });
  }
  if (expectedVersion !== undefined && expectedVersion !== request.version) {
    throw fail(
      'version_conflict',
      `Request ${request.id} is at version ${request.version}, not ${expectedVersion}`,
      { requestId: request.id, version: request.version, expectedVersion },
    );
  }
  return request;
}
