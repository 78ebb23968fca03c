import { type ApprovalRequest, approversOf } from '@countersign/core/protocol';

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** Pretty JSON cut at `limit` characters; `cut` says whether something was left out. */
export function prettyJson(value: unknown, limit: number): { text: string; cut: boolean } {
  const text = JSON.stringify(value, null, 2) ?? 'null';
  if (text.length <= limit) return { text, cut: false };
  return { text: `${text.slice(0, limit)}\n…`, cut: true };
}

/** At most `limit` characters of one line of text. */
export function oneLine(text: string, limit: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= limit ? flat : `${flat.slice(0, limit - 1)}…`;
}

/** `agent:billing-bot` → `billing-bot (agent)`, `user:alice` → `alice`, `group:legal` → `group legal`. */
export function describePrincipal(principal: string): string {
  if (principal.startsWith('user:')) return principal.slice(5);
  if (principal.startsWith('agent:')) return `${principal.slice(6)} (agent)`;
  if (principal.startsWith('group:')) return `group ${principal.slice(6)}`;
  return principal;
}

const KIND_LABEL = {
  approval: 'Approval needed',
  review: 'Review needed',
  form: 'Input needed',
  clarification: 'Question',
} as const;

/** What the human is asked for, as the start of a subject: `Approval needed`. */
export const kindLabel = (request: ApprovalRequest) => KIND_LABEL[request.kind];

/** How the request stands, in words: `pending: 1 of 2 approvals`, `approved by alice, bob`. */
export function standing(request: ApprovalRequest): string {
  const { resolution } = request;
  if (!resolution) {
    const approvals = approversOf(request.decisions, request.fingerprint).length;
    return request.quorum > 1
      ? `waiting: ${approvals} of ${request.quorum} approvals`
      : 'waiting for a decision';
  }
  const by = resolution.by?.length ? ` by ${resolution.by.map(describePrincipal).join(', ')}` : '';
  if (resolution.status === 'rejected') return `rejected${by}: ${resolution.reason ?? ''}`.trim();
  if (resolution.status === 'expired') return 'expired: nobody decided in time';
  if (resolution.status === 'cancelled') return 'cancelled by the requester';
  return `${resolution.status}${by}`;
}

/** The facts of a request as label/value lines, shared by emails and the decision page. */
export function requestFacts(request: ApprovalRequest, now: number): [string, string][] {
  const facts: [string, string][] = [['Asked by', describePrincipal(request.requester)]];
  if (request.deadline) {
    const hours = Math.round((Date.parse(request.deadline) - now) / 3_600_000);
    const left = hours > 0 ? ` (in about ${hours} h)` : '';
    facts.push(['Deadline', `${request.deadline.replace('T', ' ').slice(0, 16)} UTC${left}`]);
  }
  facts.push(['Status', standing(request)]);
  const who = request.assignees.length
    ? request.assignees.map(describePrincipal).join(', ')
    : 'any reviewer';
  facts.push(['Who may decide', who]);
  return facts;
}
