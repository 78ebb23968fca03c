import type { EventBus } from '../service/event-bus.js';
import { canSee, type Principal, type RequestAudience } from './principal.js';

/**
 * Whether the principal behind an open stream or long-poll still holds any access. It runs for
 * every event sent, so it reads in-memory state only: revocations reach the bus from the key
 * route and from the periodic re-check of keys with open waits, and so do disabled users (from the
 * users routes and the same re-check). Any further standing check belongs here, and every live
 * path picks it up.
 */
export function principalStillValid(bus: EventBus, principal: Principal): boolean {
  if (bus.isKeyRevoked(principal.keyId)) return false;
  return principal.role === 'agent' || !bus.isUserDisabled(principal.name);
}

/** Whether a live stream or long-poll may still hand a request, as it now stands, to the principal. */
export function mayStillSee(
  bus: EventBus,
  principal: Principal,
  request: RequestAudience,
): boolean {
  return principalStillValid(bus, principal) && canSee(principal, request);
}
