import { standingFingerprint } from '@countersign/core/fingerprint';
import { type ApprovalRequest, approversOf, standingArgs } from '@countersign/core/protocol';
import type { KnownBlock, View } from '@slack/types';
import { compactPreview } from '../preview/compact-preview.js';
import { grantsAllowedFor } from '../service/grant-rules.js';
import { codeBlock, mrkdwnText, plain, SLACK_LIMITS, truncate } from './slack-text.js';

/** The action ids of the message's buttons and the reject modal's callback id. */
export const SLACK_ACTIONS = {
  approve: 'countersign_approve',
  approveWithGrant: 'countersign_approve_grant',
  reject: 'countersign_reject',
  open: 'countersign_open',
  rejectModal: 'countersign_reject_modal',
  reasonBlock: 'countersign_reason',
  reasonInput: 'countersign_reason_input',
} as const;

/**
 * What a button carries back: the request and the fingerprint of the arguments the message showed,
 * so a click never approves arguments edited after the message was posted.
 */
export interface SlackButtonValue {
  id: string;
  fingerprint?: string;
}

/** A message's fallback text and blocks, as `chat.postMessage` and `chat.update` take them. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

const ARGS_LIMIT = 2000;
// The preview's text is cut at this many characters before it is escaped and fenced.
const PREVIEW_LIMIT = 2500;
const mrkdwn = (text: string) => ({ type: 'mrkdwn' as const, text });

/** The link to the request in the dashboard, when the server knows its public URL. */
export function dashboardLink(publicUrl: string | undefined, id: string): string | undefined {
  if (!publicUrl) return undefined;
  return `${publicUrl.replace(/\/+$/, '')}/#/requests/${encodeURIComponent(id)}`;
}

/**
 * The tool call: its preview when the tool declares one (rendered by the server from the
 * arguments; only while those still stand, as an edit is not re-rendered), else the arguments.
 */
function toolCall(request: ApprovalRequest, publicUrl: string | undefined): KnownBlock[] {
  const tool = request.tool as NonNullable<ApprovalRequest['tool']>;
  const name = `*Tool* \`${mrkdwnText(tool.name, 200)}\``;
  const unedited = standingFingerprint(request) === request.fingerprint;
  let limit = PREVIEW_LIMIT;
  let compact = unedited ? compactPreview(request, limit) : undefined;
  // Escaping (`<` → `&lt;`) lengthens the text after it was cut: shorten until the block fits.
  while (compact && name.length + 1 + compact.slack.length > SLACK_LIMITS.sectionText) {
    limit = Math.floor(limit / 2);
    compact = limit >= 100 ? compactPreview(request, limit) : undefined;
  }
  if (!compact) {
    const args = standingArgs(request) ?? tool.args;
    return [{ type: 'section', text: mrkdwn(`${name}\n${codeBlock(args, ARGS_LIMIT)}`) }];
  }
  const blocks: KnownBlock[] = [{ type: 'section', text: mrkdwn(`${name}\n${compact.slack}`) }];
  const link = dashboardLink(publicUrl, request.id);
  if (compact.truncated) {
    const more = link
      ? `<${link}|the whole preview in the dashboard>`
      : 'the whole preview in the dashboard';
    blocks.push({ type: 'context', elements: [mrkdwn(`Cut short: see ${more}.`)] });
  }
  return blocks;
}

/** The blocks describing a request: the action, the tool call, the context and who asked. */
function describe(request: ApprovalRequest, publicUrl: string | undefined): KnownBlock[] {
  const blocks: KnownBlock[] = [
    { type: 'header', text: plain(request.action, SLACK_LIMITS.headerText) },
  ];
  if (request.question) blocks.push({ type: 'section', text: plain(request.question) });
  if (request.tool) blocks.push(...toolCall(request, publicUrl));
  const context = Object.entries(request.context).slice(0, SLACK_LIMITS.sectionFields);
  if (context.length > 0) {
    blocks.push({
      type: 'section',
      fields: context.map(([name, value]) =>
        plain(`${name}: ${typeof value === 'string' ? value : JSON.stringify(value)}`, 500),
      ),
    });
  }
  const facts = [
    `Asked by ${mrkdwnText(request.requester, 200)}`,
    request.quorum > 1 ? `${approvalsOf(request)} of ${request.quorum} approvals` : undefined,
    request.deadline
      ? `Expires <!date^${epochOf(request.deadline)}^{date_short_pretty} {time}|${request.deadline}>`
      : undefined,
  ].filter((fact): fact is string => fact !== undefined);
  blocks.push({ type: 'context', elements: [mrkdwn(truncate(facts.join(' · '), 3000))] });
  return blocks;
}

function epochOf(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000);
}

function approvalsOf(request: ApprovalRequest): number {
  return approversOf(request.decisions, standingFingerprint(request)).length;
}

/**
 * The message for a pending request: its description with Approve, Reject and Open buttons, and
 * "Approve and allow similar…" (a grant, in a modal) when the request's policy rule allows grants.
 */
export function pendingMessage(request: ApprovalRequest, publicUrl?: string): SlackMessage {
  const fingerprint = standingFingerprint(request);
  const value = JSON.stringify({
    id: request.id,
    ...(fingerprint ? { fingerprint } : {}),
  } satisfies SlackButtonValue);
  const link = dashboardLink(publicUrl, request.id);
  const approvable = request.kind === 'approval' || request.kind === 'review';
  const buttons = [
    ...(approvable
      ? [
          {
            type: 'button' as const,
            action_id: SLACK_ACTIONS.approve,
            style: 'primary' as const,
            text: plain('Approve'),
            value,
          },
          ...(grantsAllowedFor(request)
            ? [
                {
                  type: 'button' as const,
                  action_id: SLACK_ACTIONS.approveWithGrant,
                  text: plain('Approve and allow similar…'),
                  value,
                },
              ]
            : []),
          {
            type: 'button' as const,
            action_id: SLACK_ACTIONS.reject,
            style: 'danger' as const,
            text: plain('Reject'),
            value,
          },
        ]
      : []),
    ...(link
      ? [
          {
            type: 'button' as const,
            action_id: SLACK_ACTIONS.open,
            text: plain('Open in dashboard'),
            url: link,
          },
        ]
      : []),
  ];
  const blocks = describe(request, publicUrl);
  if (buttons.length > 0)
    blocks.push({ type: 'actions', block_id: 'countersign', elements: buttons });
  return {
    text: truncate(`Approval needed: ${request.action}`, SLACK_LIMITS.fallbackText),
    blocks,
  };
}

const OUTCOME_WORDS: Record<string, string> = {
  approved: 'Approved',
  rejected: 'Rejected',
  answered: 'Answered',
  expired: 'Expired',
  cancelled: 'Cancelled',
};

/** The message once a request is decided: its description and the outcome, with no buttons. */
export function outcomeMessage(request: ApprovalRequest, publicUrl?: string): SlackMessage {
  const word = OUTCOME_WORDS[request.status] ?? request.status;
  const by = request.resolution?.by ?? [];
  const lines = [
    `*${word}*${by.length > 0 ? ` by ${by.map((who) => mrkdwnText(who, 200)).join(', ')}` : ''}`,
    ...request.decisions
      .filter((decision) => decision.addedGrant !== undefined)
      .map(
        (decision) =>
          `${mrkdwnText(decision.principal, 200)} also allowed similar calls (grant \`${decision.addedGrant}\`)`,
      ),
  ];
  const reason = request.resolution?.reason;
  const blocks = describe(request, publicUrl);
  blocks.push({ type: 'section', text: mrkdwn(lines.join('\n')) });
  if (reason) blocks.push({ type: 'section', text: plain(`Reason: ${reason}`) });
  const link = dashboardLink(publicUrl, request.id);
  if (link) blocks.push({ type: 'context', elements: [mrkdwn(`<${link}|Open in dashboard>`)] });
  return { text: truncate(`${word}: ${request.action}`, SLACK_LIMITS.fallbackText), blocks };
}

/** The modal asking for the reason of a rejection; `metadata` comes back on submission. */
export function rejectModal(request: ApprovalRequest, metadata: string): View {
  return {
    type: 'modal',
    callback_id: SLACK_ACTIONS.rejectModal,
    private_metadata: metadata,
    title: plain('Reject request', SLACK_LIMITS.modalTitle),
    submit: plain('Reject', SLACK_LIMITS.modalTitle),
    close: plain('Cancel', SLACK_LIMITS.modalTitle),
    blocks: [
      { type: 'section', text: plain(request.action) },
      {
        type: 'input',
        block_id: SLACK_ACTIONS.reasonBlock,
        label: plain('Why? The agent is told this reason.', 2000),
        element: {
          type: 'plain_text_input',
          action_id: SLACK_ACTIONS.reasonInput,
          multiline: true,
          max_length: 2000,
        },
      },
    ],
  };
}
