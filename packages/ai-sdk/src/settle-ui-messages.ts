import type { UIMessage } from 'ai';
import {
  type CheckedApproval,
  checkApprovals,
  type OpenApproval,
  resolveSettleOptions,
  type SettleApprovalsOptions,
} from './settle-approvals.js';
import type { SettleResult } from './settle-model-messages.js';

interface ToolPartView {
  type: string;
  toolName?: string;
  toolCallId: string;
  state: string;
  input?: unknown;
  approval?: { id: string; approved?: boolean; reason?: string; isAutomatic?: boolean };
}

/**
 * For `useChat` apps: in the last assistant message the client sent, turns each tool part waiting for approval
 * (`state: 'approval-requested'`) into a Countersign request, so a manager decides on the dashboard (or by email)
 * while the user waits; once all are decided, marks them `approval-responded` with Countersign's decision and
 * reason, ready for `convertToModelMessages` and the continuation `streamText` call.
 *
 * The history is client-controlled: an approval the client set itself (`approval-responded`) is checked with
 * Countersign like any other and replaced by Countersign's answer, or reverted to `approval-requested` while the
 * request is undecided. Use `countersignToolApproval` on the continuation call as well: it re-checks every
 * approval the SDK is about to honour.
 */
export async function settleUIMessageApprovals<M extends UIMessage>(
  messages: readonly M[],
  options: SettleApprovalsOptions,
): Promise<SettleResult<M>> {
  const resolved = resolveSettleOptions(options, 'settleUIMessageApprovals');
  const index = messages.findLastIndex((message) => message.role === 'assistant');
  const last = index < 0 ? undefined : messages[index];
  const lastUser = messages.findLastIndex((message) => message.role === 'user');
  if (last === undefined || index < lastUser) {
    return { status: 'none', messages: [...messages], approvals: [], pending: [] };
  }
  const open: OpenApproval[] = [];
  for (const part of last.parts as unknown as ToolPartView[]) {
    const toolName = toolNameOf(part);
    if (toolName === undefined || part.approval === undefined || part.approval.isAutomatic === true)
      continue;
    if (part.state !== 'approval-requested' && part.state !== 'approval-responded') continue;
    open.push({
      approvalId: part.approval.id,
      toolCallId: part.toolCallId,
      toolName,
      input: part.input,
    });
  }
  if (open.length === 0)
    return { status: 'none', messages: [...messages], approvals: [], pending: [] };
  const approvals = await checkApprovals(open, resolved);
  const byApproval = new Map(approvals.map((approval) => [approval.approvalId, approval]));
  const pending = approvals.filter((approval) => approval.answer === undefined);
  const parts = (last.parts as unknown as ToolPartView[]).map((part) => {
    const checked = part.approval === undefined ? undefined : byApproval.get(part.approval.id);
    return checked === undefined ? part : applyAnswer(part, checked, pending.length === 0);
  });
  const copy = [...messages];
  copy[index] = { ...last, parts: parts as unknown as M['parts'] };
  return { status: pending.length > 0 ? 'pending' : 'settled', messages: copy, approvals, pending };
}

function toolNameOf(part: ToolPartView): string | undefined {
  if (part.type === 'dynamic-tool') return part.toolName;
  return part.type.startsWith('tool-') ? part.type.slice('tool-'.length) : undefined;
}

// Only Countersign's answer may stand; a client-set answer is withdrawn until Countersign has decided all.
function applyAnswer(
  part: ToolPartView,
  checked: CheckedApproval,
  allDecided: boolean,
): ToolPartView {
  const {
    id,
    approved: _approved,
    reason: _reason,
    ...rest
  } = part.approval ?? { id: checked.approvalId };
  if (!allDecided || checked.answer === undefined) {
    return { ...part, state: 'approval-requested', approval: { id, ...rest } };
  }
  const { approved, reason } = checked.answer;
  return {
    ...part,
    state: 'approval-responded',
    approval: { id, ...rest, approved, ...(reason === undefined ? {} : { reason }) },
  };
}
