import { createRequire } from 'node:module';
import {
  type ApprovalRequest,
  partText,
  type ResolvedPreview,
  renderPreviewText,
} from '@countersign/core/protocol';
import type sanitize from 'sanitize-html';
import { escapeHtml } from '../notify/request-facts.js';

/** A preview short enough for a notification, in each form a channel takes. */
export interface CompactPreview {
  /** Plain text, for a text email and a terminal. */
  text: string;
  /** HTML for an email: agent text escaped, an HTML email body sanitized. */
  html: string;
  /** Slack mrkdwn: a code block that nothing inside can break out of. */
  slack: string;
  /** True when something was cut: the link leads to the whole preview. */
  truncated: boolean;
}

/** What a mail client may show of an agent's HTML: text structure, links, no images or styles. */
const EMAIL_HTML: sanitize.IOptions = {
  allowedTags: [
    'p',
    'br',
    'b',
    'i',
    'strong',
    'em',
    'u',
    'ul',
    'ol',
    'li',
    'blockquote',
    'code',
    'pre',
    'h1',
    'h2',
    'h3',
    'h4',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
    'a',
  ],
  allowedAttributes: { a: ['href'] },
  allowedSchemes: ['https', 'http', 'mailto'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
};

const SLACK_TEXT_MAX = 2800;

// Loaded at the first HTML body: a server that sends no email never pays for the parser's code.
const require = createRequire(import.meta.url);
let sanitizer: typeof sanitize | undefined;

/** An agent's HTML as a mail client may show it (no script, image, style or form survives). */
export function sanitizeEmailHtml(html: string): string {
  sanitizer ??= require('sanitize-html') as typeof sanitize;
  return sanitizer(html, EMAIL_HTML);
}

function slackEscape(text: string): string {
  // Slack's own three escapes, and no closing fence inside the block.
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/```/g, "'''");
}

function htmlOf(preview: ResolvedPreview, text: string): string {
  if (preview.kind === 'email' && preview.format === 'html' && preview.parts.body !== undefined) {
    const head = renderPreviewText({ ...preview, parts: { ...preview.parts, body: '' } });
    return `<pre style="white-space:pre-wrap">${escapeHtml(head)}</pre><div>${sanitizeEmailHtml(partText(preview.parts.body)).slice(0, 20_000)}</div>`;
  }
  return `<pre style="white-space:pre-wrap">${escapeHtml(text)}</pre>`;
}

/**
 * The request's preview, compact: for the email and the Slack message that tell a reviewer a
 * request waits. Undefined when the request has none (the message then shows the arguments).
 */
export function compactPreview(
  request: ApprovalRequest,
  maxLength = 1500,
): CompactPreview | undefined {
  const { preview } = request;
  if (!preview) return undefined;
  const whole = renderPreviewText(preview, Number.MAX_SAFE_INTEGER);
  const text = renderPreviewText(preview, maxLength);
  const slackText = renderPreviewText(preview, Math.min(maxLength, SLACK_TEXT_MAX));
  return {
    text,
    html: htmlOf(preview, text),
    slack: `\`\`\`${slackEscape(slackText)}\`\`\``,
    truncated: whole.length > text.length,
  };
}
