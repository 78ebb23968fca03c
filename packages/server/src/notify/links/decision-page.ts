import { type ApprovalRequest, standingArgs } from '@countersign/core/protocol';
import { escapeHtml, prettyJson, requestFacts } from '../request-facts.js';
import { type GrantSection, grantSectionHtml } from './grant-section.js';

/** Arguments and context past this many characters are cut on the page (the dashboard has all). */
const MAX_JSON_CHARS = 20_000;

const STYLE = `body{font-family:system-ui,sans-serif;margin:0 auto;max-width:40em;padding:1em;line-height:1.4}
pre{white-space:pre-wrap;word-break:break-word;background:#f4f4f4;padding:.5em;font-size:.9em}
button{font-size:1.1em;padding:.7em 1.4em;border:0;border-radius:4px;color:#fff;margin:.3em 0;width:100%}
.approve{background:#1a7f37}.reject{background:#cf222e}textarea{width:100%;box-sizing:border-box;font:inherit}
th{text-align:left;padding-right:1em;vertical-align:top}.note{color:#555}
select,input[type=number]{width:100%;box-sizing:border-box;font:inherit;padding:.3em;margin-bottom:.5em}
.grant{border:1px solid #ccc;border-radius:4px;padding:.5em;margin:.5em 0}.grant summary{font-weight:600}
.check{display:block;margin:.4em 0}fieldset{border:0;padding:0;margin:.5em 0}code{word-break:break-word}
.problem{color:#cf222e;font-weight:600}`;

/** A whole page: no script, escaped content, readable on a phone. */
export function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex">
<title>${escapeHtml(title)} · Countersign</title><style>${STYLE}</style></head>
<body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

/** A page that says one thing plainly, with a way on to the dashboard. */
export function messagePage(title: string, text: string, dashboard?: string): string {
  const link = dashboard
    ? `<p><a href="${escapeHtml(dashboard)}">Open in the dashboard</a></p>`
    : '';
  return page(title, `<p>${escapeHtml(text)}</p>${link}`);
}

function json(title: string, value: unknown): string {
  const { text, cut } = prettyJson(value, MAX_JSON_CHARS);
  const note = cut ? '<p class="note">Cut here: the dashboard shows all of it.</p>' : '';
  return `<h2>${escapeHtml(title)}</h2><pre>${escapeHtml(text)}</pre>${note}`;
}

/**
 * The confirmation page: the request, then Approve and Reject-with-reason, each a plain POST form.
 * With `grant` (the request's rule allows grants), Approve can add one.
 */
export function confirmationPage(
  request: ApprovalRequest,
  recipient: string,
  action: string,
  dashboard: string,
  now: number,
  grant?: GrantSection,
): string {
  const facts = requestFacts(request, now)
    .map(([label, value]) => `<tr><th>${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`)
    .join('');
  const approvable = request.kind === 'approval' || request.kind === 'review';
  const approve = approvable
    ? `<form method="post" action="${escapeHtml(action)}"><input type="hidden" name="decision" value="approve">
<label>Comment (optional)<br><textarea name="comment" rows="2" maxlength="4000"></textarea></label>
${grant ? grantSectionHtml(request, grant) : ''}
<button class="approve" type="submit">Approve</button></form>`
    : '<p class="note">This request needs an answer: open it in the dashboard.</p>';
  return page(
    request.action.length > 80 ? `${request.action.slice(0, 79)}…` : request.action,
    `<p>Deciding as <strong>${escapeHtml(recipient)}</strong>.</p>
<p>${escapeHtml(request.action)}</p><table>${facts}</table>
${request.question ? `<h2>Question</h2><p>${escapeHtml(request.question)}</p>` : ''}
${request.tool ? json(`Tool ${request.tool.name}`, standingArgs(request) ?? request.tool.args) : ''}
${Object.keys(request.context).length > 0 ? json('Context', request.context) : ''}
${approve}
<form method="post" action="${escapeHtml(action)}"><input type="hidden" name="decision" value="reject">
<label>Reason for rejecting (required)<br><textarea name="reason" rows="3" required maxlength="4000"></textarea></label>
<button class="reject" type="submit">Reject</button></form>
<p><a href="${escapeHtml(dashboard)}">Open in the dashboard</a></p>`,
  );
}
