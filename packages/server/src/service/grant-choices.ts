import {
  type ApprovalRequest,
  boundedArgsCondition,
  CountersignError,
  exactArgsCondition,
  formatDuration,
  type GrantChoices,
  type GrantSpec,
  grantSpecSchema,
  parseDuration,
  standingArgs,
} from '@countersign/core/protocol';
import { fail } from './failures.js';
import { grantsAllowedFor } from './grant-rules.js';
import { defaultGrantLifetimeMs, grantLifetimeCapMs } from './new-grant.js';
import type { ServiceContext } from './service-context.js';

/** The lifetimes a form offers, as far as the caps allow. */
const LIFETIMES = ['15m', '1h', '4h', '8h', '24h'] as const;

/**
 * The grant choices for an approval of `request` from a form (the email link page, the Slack
 * modal, the dashboard through `GET /v1/requests/{id}/grant-options`); undefined when its policy
 * rule forbids grants, so the form offers none. The decision checks everything again: a form may
 * have been forged.
 */
export function grantChoicesFor(
  context: Pick<ServiceContext, 'maxGrantLifetimeMs'>,
  request: ApprovalRequest,
): GrantChoices | undefined {
  const allowed = grantsAllowedFor(request);
  if (!allowed || !request.tool) return undefined;
  const cap = grantLifetimeCapMs(context, allowed);
  const lifetimes: string[] = LIFETIMES.filter((text) => (parseDuration(text) as number) <= cap);
  const longest = parseDuration(LIFETIMES.at(-1) as string) as number;
  if (cap < longest && !lifetimes.includes(formatDuration(cap)))
    lifetimes.push(formatDuration(cap));
  // The arguments the approvals stand for: after an edit, the edited ones, never the agent's.
  const args = standingArgs(request) ?? request.tool.args;
  const bounded = boundedArgsCondition(args);
  return {
    exact: exactArgsCondition(args),
    ...(bounded === undefined ? {} : { bounded }),
    lifetimes,
    // One hour or the cap when shorter: always in the list, as the cap is when under 24h.
    defaultLifetime: formatDuration(defaultGrantLifetimeMs(context, allowed)),
    maxLifetime: formatDuration(cap),
    appliesTo: request.runId === undefined ? ['agent', 'any'] : ['agent', 'run', 'any'],
  };
}

/** A grant form's fields, as the form sent them (absent: left out). */
export interface GrantForm {
  /** Which calls: `exact`, `bounded` or `custom` (default `exact`). */
  scope?: string | undefined;
  /** For `custom`: the CEL condition. */
  when?: string | undefined;
  /** How long the grant lives, one of the offered lifetimes (default: the capped 1 h). */
  lifetime?: string | undefined;
  /** At most this many calls; empty: no limit. */
  maxUses?: string | undefined;
  /** Whom it covers: `agent` (default), `run` or `any`. */
  appliesTo?: string | undefined;
}

/** The form field a grant error is about, so the form can show it next to that field. */
export type GrantField = keyof GrantForm;

const invalid = (field: GrantField, message: string) =>
  fail('validation_failed', message, { path: `/grant/${field}` });

/**
 * The decision body's `grant` for what a form sent about `request`. A value of the wrong shape is
 * a `validation_failed` naming its field; whether the rule allows grants, the condition compiles
 * and the lifetime fits the caps, the decision checks as for every channel.
 */
export function grantSpecFromForm(request: ApprovalRequest, form: GrantForm): GrantSpec {
  const scope = form.scope ?? 'exact';
  let when: string | undefined;
  if (scope === 'bounded') {
    when = boundedArgsCondition(standingArgs(request) ?? {});
    if (when === undefined) throw invalid('scope', 'This call has no number to bound');
  } else if (scope === 'custom') {
    when = form.when?.trim();
    if (!when) throw invalid('when', 'grant condition: write a condition, or choose another scope');
  } else if (scope !== 'exact') {
    throw invalid('scope', 'Choose which calls the grant covers');
  }
  const uses = form.maxUses?.trim();
  if (uses && !/^\d{1,7}$/.test(uses)) {
    throw invalid('maxUses', 'At most this many calls: a whole number of at least 1');
  }
  const parsed = grantSpecSchema.safeParse({
    ...(when === undefined ? {} : { when }),
    ...(form.lifetime ? { lifetime: form.lifetime } : {}),
    ...(uses ? { maxUses: Number(uses) } : {}),
    ...(form.appliesTo ? { appliesTo: form.appliesTo } : {}),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue?.path[0] ?? 'scope') as GrantField;
    throw invalid(field, `grant ${field}: ${issue?.message ?? 'not valid'}`);
  }
  return parsed.data;
}

/** The form field a refusal of a grant is about; `scope` (the first) for the others. */
export function grantFieldOf(error: unknown): GrantField {
  const path = CountersignError.isInstance(error) ? error.details?.path : undefined;
  const field = typeof path === 'string' ? path.replace(/^\/grant\//, '').replace(/^\//, '') : '';
  return (
    (['when', 'lifetime', 'maxUses', 'appliesTo'] as const).find((name) => name === field) ??
    'scope'
  );
}
