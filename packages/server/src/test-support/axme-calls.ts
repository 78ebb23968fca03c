import { randomUUID } from 'node:crypto';
import type { Harness, Reply } from './harness.js';

/** Calls an AXME route in-process the way the AXME SDKs do: the key as `x-api-key`. */
export function axmeCall(
  h: Harness,
  key: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  return h.call(undefined, method, path, body, { 'x-api-key': key, ...headers });
}

/** A valid create body: a budget approval for `alice`, with `overrides` on top. */
export function intentBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    intent_type: 'intent.budget.approval.v1',
    correlation_id: randomUUID(),
    to_agent: 'agent://acme/prod/finance',
    payload: { amount: 32000 },
    human_task: {
      title: 'Approve the Q3 budget',
      task_type: 'approval',
      allowed_outcomes: ['approved', 'rejected'],
      assignees: ['alice'],
    },
    ...overrides,
  };
}
