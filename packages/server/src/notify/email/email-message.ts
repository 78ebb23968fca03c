import { createHash } from 'node:crypto';
import { type ApprovalRequest, standingArgs } from '@countersign/core/protocol';
import { compactPreview } from '../../preview/compact-preview.js';
import type { NotificationDelivery } from '../notification-types.js';
import {
  describePrincipal,
  escapeHtml,
  kindLabel,
  oneLine,
  prettyJson,
  requestFacts,
  standing,
} from '../request-facts.js';

/** Arguments and context longer than this are cut, with a link to the whole request. */
export const MAX_JSON_CHARS = 4000;

/** A rendered email: subject, both bodies and the threading headers. */
export interface EmailMessage {
  subject: string;
  text: string;
  html: string;
  messageId: string;
  inReplyTo?: string;
  references?: string;
}

/** The Message-ID a request's thread to one address starts with (the same on every replica). */
export function threadRoot(requestId: string, address: string, domain: string): string {
  const hash = createHash('sha256').update(address.toLowerCase()).digest('hex').slice(0, 16);
  return `<${requestId}.${hash}@${domain}>`;
}

function headline({ notification, request, recipient }: NotificationDelivery): string {
  const name = recipient?.displayName ?? recipient?.name;
  const you = name ? `${name}, ` : '';
  const asker = describePrincipal(request.requester);
  if (request.status !== 'pending') return `This request is ${standing(request)}.`;
  if (notification.kind === 'reminder') return `Reminder: ${you}this still waits for a decision.`;
  if (notification.kind === 'escalation') {
    return `${you}this was escalated to you: nobody decided in time.`;
  }
  return `${you}${asker} asks for your decision.`;
}

function subjectOf(delivery: NotificationDelivery): string {
  const { notification, request } = delivery;
  const base = `${kindLabel(request)}: ${oneLine(request.action, 90)}`;
  if (!notification.first) return `Re: ${base}`;
  if (notification.kind === 'outcome') {
    return `${oneLine(standing(request), 40)} — ${oneLine(request.action, 80)}`;
  }
  return base;
}

interface Section {
  title: string;
  body: string;
  pre?: boolean;
  /** Already safe HTML for the HTML body (escaped or sanitized); `body` is the text version. */
  html?: string;
}

function sections(request: ApprovalRequest): Section[] {
  const found: Section[] = [];
  if (request.question) found.push({ title: 'Question', body: request.question });
  // The call as its effect first (the email it sends, the diff it writes); the arguments follow.
  const preview = compactPreview(request, MAX_JSON_CHARS);
  if (preview) {
    const more = preview.truncated ? '\n(cut: open the request for the whole preview)' : '';
    found.push({
      title: 'Preview',
      body: `${preview.text}${more}`,
      html: `${preview.html}${more ? `<p>${escapeHtml(more.trim())}</p>` : ''}`,
    });
  }
  if (request.tool) {
    // The arguments that will run: a reviewer's edit, once there is one.
    const args = prettyJson(standingArgs(request) ?? request.tool.args, MAX_JSON_CHARS);
    found.push({
      title: `Tool ${request.tool.name}`,
      body: args.cut ? `${args.text}\n(cut: open the request for all arguments)` : args.text,
      pre: true,
    });
  }
  if (Object.keys(request.context).length > 0) {
    const context = prettyJson(request.context, MAX_JSON_CHARS);
    found.push({
      title: 'Context',
      body: context.cut ? `${context.text}\n(cut: open the request for all of it)` : context.text,
      pre: true,
    });
  }
  return found;
}

/** Renders one notification as an email: a scannable subject, plain text and escaped HTML. */
export function renderEmail(
  delivery: NotificationDelivery,
  domain: string,
  now: number,
): EmailMessage {
  const { notification, request, links } = delivery;
  const facts = requestFacts(request, now);
  const parts = sections(request);
  const root = threadRoot(request.id, notification.address, domain);
  const action = links.decide
    ? { label: 'Review and decide', url: links.decide }
    : { label: 'Open in the dashboard', url: links.dashboard };
  const text = [
    headline(delivery),
    '',
    request.action,
    '',
    ...facts.map(([label, value]) => `${label}: ${value}`),
    ...parts.flatMap((part) => ['', `${part.title}:`, part.body]),
    '',
    `${action.label}: ${action.url}`,
    ...(links.decide ? [`Open in the dashboard: ${links.dashboard}`] : []),
    '',
    `Request ${request.id}. Sent by Countersign to ${notification.address}.`,
  ].join('\n');
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;max-width:40em">
<p>${escapeHtml(headline(delivery))}</p>
<h2 style="font-size:1.2em">${escapeHtml(request.action)}</h2>
<table>${facts
    .map(
      ([label, value]) =>
        `<tr><th align="left">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`,
    )
    .join('')}</table>
${parts
  .map(
    (part) =>
      `<h3 style="font-size:1em">${escapeHtml(part.title)}</h3>${
        part.html !== undefined
          ? part.html
          : part.pre
            ? `<pre style="white-space:pre-wrap;background:#f4f4f4;padding:.5em">${escapeHtml(part.body)}</pre>`
            : `<p>${escapeHtml(part.body)}</p>`
      }`,
  )
  .join('\n')}
<p><a href="${escapeHtml(action.url)}" style="display:inline-block;padding:.6em 1.2em;background:#1f6feb;color:#fff;text-decoration:none;border-radius:4px">${escapeHtml(action.label)}</a></p>
${links.decide ? `<p><a href="${escapeHtml(links.dashboard)}">Open in the dashboard</a></p>` : ''}
<p style="color:#666;font-size:.85em">Request ${escapeHtml(request.id)}. Sent by Countersign to ${escapeHtml(notification.address)}.</p>
</body></html>`;
  const message: EmailMessage = {
    subject: subjectOf(delivery),
    text,
    html,
    messageId: notification.first ? root : `<${notification.id}@${domain}>`,
  };
  if (!notification.first) {
    message.inReplyTo = root;
    message.references = root;
  }
  return message;
}
