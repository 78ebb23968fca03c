import type { ApprovalRequest, ApprovalService } from '@countersign/core';

/**
 * Wraps an approval service so the caller learns about each request the moment it exists (before
 * the gate starts waiting), to tell the human where to decide.
 */
export function announcingService(
  inner: ApprovalService,
  onCreated: (request: ApprovalRequest) => void,
): ApprovalService {
  return {
    create: async (body, options) => {
      const request = await inner.create(body, options);
      if (request.status === 'pending') onCreated(request);
      return request;
    },
    get: (id, options) => inner.get(id, options),
    list: (filters) => inner.list(filters),
    wait: (id, options) => inner.wait(id, options),
    decide: (id, body, options) => inner.decide(id, body, options),
    cancel: (id, body, options) => inner.cancel(id, body, options),
    update: (id, body, options) => inner.update(id, body, options),
  };
}
