import { type ApprovalRequest, approversOf } from '@countersign/core';
import { approvalPageUrl } from '../shared/approval-page.js';

/** The `_meta` key of a tool result that carries the approval card's data. */
export const CARD_META_KEY = 'countersign/request';

/** What the approval card shows about one request (JSON, in the result's `_meta`). */
export interface CardData {
  id: string;
  action: string;
  tool?: string;
  args?: Record<string, unknown>;
  status: ApprovalRequest['status'];
  deadline?: string;
  quorum: number;
  approvals: string[];
  assignees: string[];
  dashboardUrl?: string;
}

/** The card's data for a request, with the dashboard link when the public URL is known. */
export function cardData(request: ApprovalRequest, publicUrl?: string): CardData {
  return {
    id: request.id,
    action: request.action,
    ...(request.tool ? { tool: request.tool.name, args: request.tool.args } : {}),
    status: request.status,
    ...(request.deadline ? { deadline: request.deadline } : {}),
    quorum: request.quorum,
    approvals: approversOf(request.decisions, request.fingerprint),
    assignees: [...request.assignees],
    ...(publicUrl ? { dashboardUrl: approvalPageUrl(publicUrl, request.id) } : {}),
  };
}

/** `_meta` for a tool result that the approval card renders. */
export function cardMeta(request: ApprovalRequest, publicUrl?: string): Record<string, unknown> {
  return { [CARD_META_KEY]: cardData(request, publicUrl) };
}
