import type { ApprovalRequest } from '@countersign/core/protocol';

/**
 * Whether and when what was approved ran, in words: for the reviewer who approved it. Undefined
 * for requests that are not approved tool calls.
 */
export function executionText(request: ApprovalRequest): string | undefined {
  if (request.status !== 'approved' || !request.tool) return undefined;
  const { execution } = request;
  if (!execution) return 'Not run yet: the agent has not started the approved call.';
  const started = new Date(execution.startedAt).toLocaleString();
  if (execution.state === 'executing') return `Running since ${started} (not finished yet).`;
  const finished = new Date(execution.finishedAt ?? execution.startedAt).toLocaleString();
  if (execution.state === 'succeeded') return `Ran: started ${started}, succeeded ${finished}.`;
  const why = execution.error ? `: “${execution.error}”` : '';
  return `Ran: started ${started}, failed ${finished}${why}.`;
}

/** Timeline entries for the execution reports of an approved call. */
export function executionEntries(
  request: ApprovalRequest,
): { key: string; at: string; text: string }[] {
  const { execution } = request;
  if (!execution) return [];
  const entries = [
    { key: 'execution-started', at: execution.startedAt, text: 'The approved call started' },
  ];
  if (execution.finishedAt && execution.state !== 'executing') {
    const text =
      execution.state === 'succeeded'
        ? 'The approved call succeeded'
        : `The approved call failed${execution.error ? `: “${execution.error}”` : ''}`;
    entries.push({ key: 'execution-finished', at: execution.finishedAt, text });
  }
  return entries;
}
