/**
 * How a decision reached the server: the `channel` label of `countersign_requests_decided_total`
 * and the `countersign.decision.channel` span attribute. A fixed list, so the label stays bounded.
 * A new way to decide (a Slack button, an email link, a grant, an OIDC session) passes its own
 * channel to `decideRequest`; add it here first.
 */
export const DECISION_CHANNELS = [
  'api',
  'dashboard',
  'cli',
  'slack',
  'email_link',
  'grant',
] as const;

/** One of {@link DECISION_CHANNELS}. */
export type DecisionChannel = (typeof DECISION_CHANNELS)[number];

/** The header our own clients (the dashboard, the CLI) name themselves with on `/v1`. */
export const CHANNEL_HEADER = 'x-countersign-channel';

/** The channels a caller of the HTTP API may claim for itself with {@link CHANNEL_HEADER}. */
const SELF_NAMED: ReadonlySet<string> = new Set<DecisionChannel>(['dashboard', 'cli']);

/**
 * The channel of a decision sent to the HTTP API: `dashboard` or `cli` when our own client says
 * so in {@link CHANNEL_HEADER}, `api` for everything else. Only a label: it grants nothing, so a
 * caller naming itself wrongly only moves a count; routes that authenticate a channel of their own
 * (Slack signatures, email-link tokens, grants) pass that channel instead of calling this.
 */
export function httpDecisionChannel(header: string | undefined): DecisionChannel {
  return header !== undefined && SELF_NAMED.has(header) ? (header as DecisionChannel) : 'api';
}
