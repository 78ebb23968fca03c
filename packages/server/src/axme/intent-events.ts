import type { RequestEvent } from '@countersign/core/protocol';
import { intentIdOf, intentStatusOf, outcomeOf, waitingReasonOf } from './intent-view.js';

/** One AXME intent event (an item of `api.intents.events.list.response.v1`). */
export interface IntentEvent {
  intent_id: string;
  seq: number;
  event_type: string;
  status: string;
  waiting_reason?: string;
  actor: string;
  at: string;
  details: Record<string, unknown>;
  /** The Countersign event it comes from (the `id:` of `/v1/requests/{id}/events`). */
  countersign_event_id: string;
}

const TERMINAL_TYPE: Record<string, string> = {
  COMPLETED: 'intent.completed',
  FAILED: 'intent.failed',
  CANCELED: 'intent.canceled',
  TIMED_OUT: 'intent.timed_out',
};

type Unnumbered = Omit<IntentEvent, 'seq'>;

/**
 * The AXME events one Countersign event stands for. It depends on that event alone, so numbering
 * the expansion of a request's events in order gives every intent a dense, stable `seq`.
 */
export function expandEvent(event: RequestEvent): Unnumbered[] {
  const request = event.request;
  const base = {
    intent_id: intentIdOf(request),
    actor: event.actor ?? 'countersign:scheduler',
    at: event.at,
    countersign_event_id: event.id,
  };
  const waiting = (eventType: string, details: Record<string, unknown>): Unnumbered => ({
    ...base,
    event_type: eventType,
    status: 'WAITING',
    waiting_reason: waitingReasonOf(request),
    details,
  });
  const human = waitingReasonOf(request) === 'WAITING_FOR_HUMAN';
  switch (event.type) {
    case 'created':
      return [
        {
          ...base,
          event_type: 'intent.created',
          status: 'CREATED',
          details: { kind: request.kind },
        },
        ...(human ? [waiting('intent.human_task_assigned', { assignees: request.assignees })] : []),
        waiting('intent.waiting', { deadline_at: request.deadline ?? null }),
      ];
    case 'updated':
      return (event.data.changed as string[] | undefined)?.includes('assignees')
        ? [waiting('intent.human_task_assigned', { assignees: request.assignees })]
        : [];
    case 'reminded':
      return [waiting('intent.reminder', { assignees: request.assignees })];
    case 'escalated':
      return [waiting('intent.escalated', { ...event.data })];
    case 'execution':
      // What ran after the approval: AXME's intent lifecycle has already ended there.
      return [];
    default: {
      const status = intentStatusOf(request);
      if (status === 'WAITING') return [waiting('intent.waiting', { ...event.data })];
      return [
        {
          ...base,
          event_type: TERMINAL_TYPE[status] as string,
          status,
          details: { ...outcomeOf(request), countersign_status: request.status },
        },
      ];
    }
  }
}

/** Numbers expanded events from `first`, in order; returns the events and the next free seq. */
export function numberEvents(
  events: readonly RequestEvent[],
  first: number,
): { events: IntentEvent[]; next: number } {
  let seq = first;
  const numbered: IntentEvent[] = [];
  for (const event of events) {
    for (const each of expandEvent(event)) numbered.push({ ...each, seq: seq++ });
  }
  return { events: numbered, next: seq };
}
