import type { ModelMessage, ToolApprovalResponse, ToolModelMessage } from 'ai';
import {
  type CheckedApproval,
  checkApprovals,
  type OpenApproval,
  resolveSettleOptions,
  type SettleApprovalsOptions,
} from './settle-approvals.js';

/** What {@link settleToolApprovals} found. */
export interface SettleResult<M> {
  /** `settled`: every open approval is decided and `messages` carry the responses; continue the conversation. */
  status: 'settled' | 'pending' | 'none';
  /** The history, with the `tool-approval-response` parts appended when settled (unchanged otherwise). */
  messages: M[];
  /** Every open approval with Countersign's decision (`answer` absent while undecided). */
  approvals: CheckedApproval[];
  /** The approvals still undecided (empty unless `status` is `pending`). */
  pending: CheckedApproval[];
}

/**
 * For `generateText` / `streamText` / `ToolLoopAgent` loops that stop on `tool-approval-request`s (model messages,
 * e.g. `result.responseMessages`): turns each unanswered request of the last turn into a Countersign request
 * (keyed by `toolCallId` + fingerprint, so a restarted handler resumes it) and, once all are decided, appends the
 * `tool-approval-response` parts that continue the conversation. Nothing is appended while any is undecided.
 * Pair it with `countersignToolApproval` on the continuation call, which re-checks each approval with Countersign.
 */
export async function settleToolApprovals(
  messages: readonly ModelMessage[],
  options: SettleApprovalsOptions,
): Promise<SettleResult<ModelMessage>> {
  const resolved = resolveSettleOptions(options, 'settleToolApprovals');
  const open = openApprovals(messages);
  if (open.length === 0)
    return { status: 'none', messages: [...messages], approvals: [], pending: [] };
  const approvals = await checkApprovals(open, resolved, messages);
  const pending = approvals.filter((approval) => approval.answer === undefined);
  if (pending.length > 0) return { status: 'pending', messages: [...messages], approvals, pending };
  const responses: ToolApprovalResponse[] = approvals.map((approval) => ({
    type: 'tool-approval-response',
    approvalId: approval.approvalId,
    approved: approval.answer?.approved === true,
    ...(approval.answer?.reason === undefined ? {} : { reason: approval.answer.reason }),
  }));
  return {
    status: 'settled',
    messages: appendResponses(messages, responses),
    approvals,
    pending: [],
  };
}

/** Unanswered, non-automatic approval requests after the last user message. */
export function openApprovals(messages: readonly ModelMessage[]): OpenApproval[] {
  const lastUser = messages.findLastIndex((message) => message.role === 'user');
  const turn = messages.slice(lastUser + 1);
  const calls = new Map<string, { toolName: string; input: unknown }>();
  const answered = new Set<string>();
  const requests: { approvalId: string; toolCallId: string }[] = [];
  for (const message of turn) {
    if (typeof message.content === 'string') continue;
    for (const part of message.content) {
      if (part.type === 'tool-call')
        calls.set(part.toolCallId, { toolName: part.toolName, input: part.input });
      else if (part.type === 'tool-approval-request') requests.push(part);
      else if (part.type === 'tool-approval-response') answered.add(part.approvalId);
    }
  }
  const open: OpenApproval[] = [];
  for (const request of requests) {
    const call = calls.get(request.toolCallId);
    if (answered.has(request.approvalId) || call === undefined) continue;
    open.push({ approvalId: request.approvalId, toolCallId: request.toolCallId, ...call });
  }
  return open;
}

// The SDK reads approval responses from the last message only, so add to a trailing tool message.
function appendResponses(
  messages: readonly ModelMessage[],
  responses: ToolApprovalResponse[],
): ModelMessage[] {
  const copy = [...messages];
  const last = copy.at(-1);
  if (last?.role === 'tool') {
    copy[copy.length - 1] = {
      ...last,
      content: [...last.content, ...responses],
    } satisfies ToolModelMessage;
  } else {
    copy.push({ role: 'tool', content: responses });
  }
  return copy;
}
