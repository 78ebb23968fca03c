/** Block Kit's limits that agent-supplied text runs into (api.slack.com/reference/block-kit). */
export const SLACK_LIMITS = {
  /** `text` of a section or a context element. */
  sectionText: 3000,
  /** `text` of a header block (plain text). */
  headerText: 150,
  /** The message's fallback `text` (Slack truncates past 40,000; notifications show far less). */
  fallbackText: 3000,
  /** A modal's title. */
  modalTitle: 24,
  /** A button's `value`. */
  buttonValue: 2000,
  /** A modal's `private_metadata`. */
  privateMetadata: 3000,
  /** Fields of one section. */
  sectionFields: 10,
  /** Text of one section field. */
  fieldText: 2000,
} as const;

const ELLIPSIS = '…';

/**
 * Cuts `text` to at most `limit` UTF-16 units, ending with an ellipsis when cut, never between the
 * two halves of a surrogate pair.
 */
export function truncate(text: string, limit: number): string {
  if (text.length <= limit) return text;
  let end = limit - ELLIPSIS.length;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}${ELLIPSIS}`;
}

/**
 * Text made inert for mrkdwn: `&`, `<` and `>` escaped as Slack asks, so `<!channel>`, `<@U123>` and
 * `<https://x|label>` stay literal; and each mark that starts bold, italics, strike-through or code
 * is followed by a zero-width space (U+200B), so a name cannot restyle the rest of the line.
 * Free text from agents goes into `plain_text` objects instead, which Slack never parses.
 */
export function escapeMrkdwn(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[*_~`]/g, (mark) => `${mark}\u200b`);
}

/** Escaped for mrkdwn, then truncated so the escapes never push it past `limit`. */
export function mrkdwnText(text: string, limit: number): string {
  return truncate(escapeMrkdwn(text), limit);
}

/**
 * Text for a code block: backticks broken up so it cannot close the block, escaped for mrkdwn's
 * `&<>`, and cut to `limit` with the closing fence kept.
 */
export function codeText(text: string, limit: number): string {
  const inert = text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/`/g, '`\u200b');
  return `\`\`\`\n${truncate(inert, limit - 8)}\n\`\`\``;
}

/** JSON for a code block, pretty; see {@link codeText}. */
export function codeBlock(value: unknown, limit: number): string {
  return codeText(JSON.stringify(value, null, 2) ?? 'null', limit);
}

/** A plain text object (Slack never parses it for mentions or links), cut to `limit`. */
export function plain(text: string, limit: number = SLACK_LIMITS.sectionText) {
  return {
    type: 'plain_text' as const,
    text: truncate(text === '' ? ' ' : text, limit),
    emoji: false,
  };
}
